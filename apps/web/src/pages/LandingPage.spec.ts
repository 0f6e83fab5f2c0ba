import { ErrorCode } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';

import { fetchCall, jsonResponse, pendingResponse, stubFetch, type FetchMock } from '../testing/fetch-stub';
import { mountAppAt } from '../testing/mount-page';
import { aSandboxSite, aSiteInfo, aSiteSandbox, anAgentsOnlySandbox } from '../testing/site-info';
import LandingPage from './LandingPage.vue';

const byTestId = (id: string) => `[data-testid="${id}"]`;

describe(LandingPage.__name ?? 'LandingPage', () => {
  let fetchMock: FetchMock;

  beforeEach(() => {
    fetchMock = stubFetch();
  });

  it('asks the API for the site info', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));

    await mountAppAt('/');

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchCall(fetchMock)).toMatchObject({ url: '/api/site', method: 'GET' });
  });

  it('shows the company heading, the SMS button and the number', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));

    const { wrapper } = await mountAppAt('/');

    const heading = wrapper.get(byTestId('landing-heading'));
    expect(heading.element.tagName).toBe('H1');
    expect(heading.element.textContent).toBe('ACME Support');
    const link = wrapper.get(byTestId('sms-link'));
    expect(link.element.tagName).toBe('A');
    expect(link.text()).toBe('Get support via SMS');
    expect(link.attributes('href')).toBe(
      "sms:+447700900000?body=Hi%20ACME%2C%20I'd%20like%20some%20help%20with%3A%20",
    );
    expect(wrapper.get(byTestId('support-number')).text()).toBe('+447700900000');
    expect(wrapper.find(byTestId('landing-loading')).exists()).toBe(false);
    expect(wrapper.find(byTestId('no-support-number')).exists()).toBe(false);
    expect(document.title).toBe('ACME Support');
  });

  it("uses the configured company's name in the heading and the greeting", async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(aSiteInfo({ companyName: 'Globex & Sons', supportNumber: '+15551234567' })),
    );

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.get(byTestId('landing-heading')).element.textContent).toBe('Globex & Sons Support');
    expect(wrapper.get(byTestId('sms-link')).attributes('href')).toBe(
      "sms:+15551234567?body=Hi%20Globex%20%26%20Sons%2C%20I'd%20like%20some%20help%20with%3A%20",
    );
    expect(wrapper.get(byTestId('site-brand')).text()).toBe('Globex & Sons');
  });

  it('renders a company name as text, never as HTML', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo({ companyName: '<img src=x onerror=alert(1)>' })));

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.get(byTestId('landing-heading')).text()).toBe('<img src=x onerror=alert(1)> Support');
  });

  it('shows a loading state while the site info is on its way', async () => {
    fetchMock.mockReturnValueOnce(pendingResponse());

    const { wrapper } = await mountAppAt('/');

    const loading = wrapper.get(byTestId('landing-loading'));
    expect(loading.attributes('aria-busy')).toBe('true');
    expect(loading.get('[role="status"]').text()).toBe('Loading support details…');
    expect(wrapper.find(byTestId('landing-heading')).exists()).toBe(false);
    expect(wrapper.find(byTestId('sms-link')).exists()).toBe(false);
  });

  it('shows an error with a retry that loads the page', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));

    const { wrapper } = await mountAppAt('/');

    const error = wrapper.get(byTestId('landing-error'));
    expect(error.attributes('role')).toBe('alert');
    expect(wrapper.get(byTestId('landing-error-message')).text()).toContain('Check your internet connection');
    expect(wrapper.find(byTestId('sms-link')).exists()).toBe(false);

    await wrapper.get(byTestId('landing-retry')).trigger('click');
    expect(wrapper.find(byTestId('landing-loading')).exists()).toBe(true);
    await flushPromises();

    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(wrapper.find(byTestId('landing-error')).exists()).toBe(false);
    expect(wrapper.get(byTestId('landing-heading')).text()).toBe('ACME Support');
  });

  it('stays in the error state when the retry fails too', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));

    const { wrapper } = await mountAppAt('/');
    await wrapper.get(byTestId('landing-retry')).trigger('click');
    await flushPromises();

    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(wrapper.find(byTestId('landing-error')).exists()).toBe(true);
  });

  it('quotes the error id of a server error', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(
        { statusCode: 500, code: ErrorCode.Internal, message: 'Internal error', errorId: 'err-42' },
        500,
      ),
    );

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.get(byTestId('landing-error-message')).text()).toContain(
      'Something went wrong on our side',
    );
    expect(wrapper.get(byTestId('landing-error-reference')).text()).toContain('err-42');
  });

  it('explains that texting is unavailable when no number is configured', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo({ supportNumber: null })));

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.get(byTestId('landing-heading')).text()).toBe('ACME Support');
    expect(wrapper.get(byTestId('no-support-number')).text()).toContain("Text support isn't available yet");
    expect(wrapper.find(byTestId('sms-link')).exists()).toBe(false);
    expect(wrapper.find(byTestId('support-number')).exists()).toBe(false);
    expect(wrapper.find('a[href^="sms:"]').exists()).toBe(false);
    expect(wrapper.find(byTestId('how-it-works')).exists()).toBe(false);
  });

  it('shows the sandbox notice with links to the phone, mailbox, shop and console in sandbox mode', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSandboxSite()));

    const { wrapper } = await mountAppAt('/');

    const notice = wrapper.get(byTestId('sandbox-notice'));
    expect(notice.element.tagName).toBe('ASIDE');
    expect(notice.text()).toContain('Sandbox mode');
    expect(notice.text()).toContain('a text from a real phone to the number below goes nowhere');
    const links = notice.findAll('a').map((link) => [link.text(), link.attributes('href')]);
    expect(links).toEqual([
      ['Phone simulator', '/sandbox/phone'],
      ['Mailbox', '/sandbox/mail'],
      ['Demo shop', '/sandbox/shop'],
      ['Agent console', '/agent'],
    ]);
    for (const item of notice.findAll('li')) expect(item.text()).toMatch(/^[^:]+: \S.{10,}$/);
    expect(wrapper.find(byTestId('sms-link')).exists()).toBe(true);
  });

  it('lists only the sandbox parts this installation has', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSandboxSite({ sandbox: aSiteSandbox({ phone: false }) })));

    const { wrapper } = await mountAppAt('/');

    const notice = wrapper.get(byTestId('sandbox-notice'));
    expect(notice.text()).toContain('no real email provider, so order emails reach no real inbox');
    expect(notice.text()).not.toContain('SMS');
    expect(notice.findAll('a').map((link) => link.attributes('href'))).toEqual([
      '/sandbox/mail',
      '/sandbox/shop',
      '/agent',
    ]);
  });

  it('points the public at no sandbox when it is for agents only (production)', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo({ sandbox: anAgentsOnlySandbox() })));

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.get(byTestId('landing-heading')).text()).toBe('ACME Support');
    expect(wrapper.find(byTestId('sandbox-notice')).exists()).toBe(false);
    expect(wrapper.find('a[href^="/sandbox/"]').exists()).toBe(false);
  });

  it('shows no sandbox notice for a real installation', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.find(byTestId('sandbox-notice')).exists()).toBe(false);
  });

  it('puts the content in landmarks', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));

    const { wrapper } = await mountAppAt('/');

    expect(wrapper.findAll('header')).toHaveLength(1);
    expect(wrapper.findAll('main')).toHaveLength(1);
    expect(wrapper.findAll('footer')).toHaveLength(1);
    expect(wrapper.findAll('h1')).toHaveLength(1);
  });
});
