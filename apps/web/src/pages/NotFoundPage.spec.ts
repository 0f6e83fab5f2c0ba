import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';

import { jsonResponse, stubFetch, type FetchMock } from '../testing/fetch-stub';
import { mountAppAt } from '../testing/mount-page';
import { aSiteInfo } from '../testing/site-info';
import NotFoundPage from './NotFoundPage.vue';

const byTestId = (id: string) => `[data-testid="${id}"]`;

describe(NotFoundPage.__name ?? 'NotFoundPage', () => {
  let fetchMock: FetchMock;

  beforeEach(() => {
    fetchMock = stubFetch();
  });

  it('says the page was not found for an unknown path, without calling the API', async () => {
    const { wrapper } = await mountAppAt('/no/such/page');

    expect(wrapper.get(byTestId('not-found-heading')).text()).toBe('Page not found');
    expect(wrapper.get(byTestId('not-found-path')).text()).toBe('/no/such/page');
    expect(wrapper.find(byTestId('landing-heading')).exists()).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(document.title).toBe('Page not found');
  });

  it('links home, and following the link shows the landing page', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));
    const { wrapper, router } = await mountAppAt('/no/such/page');

    const home = wrapper.get(byTestId('home-link'));
    expect(home.attributes('href')).toBe('/');
    await home.trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.path).toBe('/');
    expect(wrapper.find(byTestId('not-found')).exists()).toBe(false);
    expect(wrapper.get(byTestId('landing-heading')).text()).toBe('ACME Support');
  });
});
