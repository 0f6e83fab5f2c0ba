import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';

import { ApiError } from '../../api/http';
import { aCustomer, aSummary } from '../../console/testing/console-builders';
import InboxList from './InboxList.vue';

function router() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/agent', name: 'agent-inbox', component: { template: '<div />' } },
      { path: '/agent/tickets/:ticketId', name: 'agent-ticket', component: { template: '<div />' } },
    ],
  });
}

const base = {
  items: [],
  status: 'ready' as const,
  error: null,
  selectedId: null,
  hasMore: false,
  loadingMore: false,
  filtered: false,
  total: 0,
  totalExact: true,
  searching: false,
  now: new Date('2026-03-02T10:05:00.000Z'),
};

describe('InboxList', () => {
  it('lists tickets with their customer, last message, unread badge and status', () => {
    const wrapper = mount(InboxList, {
      props: {
        ...base,
        items: [
          aSummary({ id: '10', unread: 2 }),
          aSummary({
            id: '11',
            channel: 'chat',
            status: 'pending',
            unread: 0,
            customer: aCustomer({ name: 'Chatty Cathy' }),
            lastMessage: { body: 'Thanks!', direction: 'out', createdAt: '2026-03-02T10:00:00.000Z' },
          }),
        ],
        selectedId: '11',
      },
      global: { plugins: [router()] },
    });

    const rows = wrapper.findAll('[data-testid="inbox-row"]');
    expect(rows.map((row) => row.get('[data-testid="inbox-row-name"]').text())).toEqual([
      'Ada Lovelace',
      'Chatty Cathy',
    ]);
    expect(rows[0]!.get('[data-testid="unread-badge"]').text()).toBe('2');
    expect(rows[1]!.find('[data-testid="unread-badge"]').exists()).toBe(false);
    expect(rows[1]!.get('[data-testid="inbox-row-preview"]').text()).toBe('Replied: Thanks!');
    expect(rows[1]!.get('[data-testid="inbox-row-status"]').text()).toBe('Pending');
    expect(rows[1]!.attributes('aria-current')).toBe('page');
    expect(rows[0]!.attributes('href')).toBe('/agent/tickets/10');
  });

  it('moves focus with the arrow keys', async () => {
    const wrapper = mount(InboxList, {
      props: { ...base, items: [aSummary({ id: '1' }), aSummary({ id: '2' }), aSummary({ id: '3' })] },
      global: { plugins: [router()] },
      attachTo: document.body,
    });
    const rows = wrapper.findAll('a');

    await wrapper.get('ul').trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[0]!.element);
    await rows[0]!.trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1]!.element);
    await rows[1]!.trigger('keydown', { key: 'End' });
    expect(document.activeElement).toBe(rows[2]!.element);
    wrapper.unmount();
  });

  it('has designed empty, error and loading states', () => {
    const empty = mount(InboxList, { props: base, global: { plugins: [router()] } });
    expect(empty.get('[data-testid="inbox-empty"]').text()).toContain('All caught up');

    const filtered = mount(InboxList, {
      props: { ...base, filtered: true },
      global: { plugins: [router()] },
    });
    expect(filtered.get('[data-testid="inbox-empty"]').text()).toContain('No tickets match');
    expect(filtered.get('button').text()).toBe('Clear filters');

    const failed = mount(InboxList, {
      props: {
        ...base,
        status: 'error',
        error: new ApiError({
          status: 0,
          code: 'client/network_error',
          message: 'Could not reach the server.',
        }),
      },
      global: { plugins: [router()] },
    });
    expect(failed.get('[data-testid="inbox-error"]').text()).toContain('Could not reach the server.');

    const loading = mount(InboxList, {
      props: { ...base, status: 'loading' },
      global: { plugins: [router()] },
    });
    expect(loading.find('[aria-label="Loading tickets"]').exists()).toBe(true);
  });

  it('says how many tickets match, "1,000+" past what the server counts', () => {
    const few = mount(InboxList, {
      props: { ...base, items: [aSummary()], total: 1 },
      global: { plugins: [router()] },
    });
    expect(few.get('[data-testid="inbox-total"]').text()).toBe('1 ticket');
    const many = mount(InboxList, {
      props: { ...base, items: [aSummary()], total: 1000, totalExact: false },
      global: { plugins: [router()] },
    });
    expect(many.get('[data-testid="inbox-total"]').text()).toBe('1,000+ tickets');
  });

  it('shows what a search matched, marked, as text: nothing the customer typed becomes HTML', () => {
    const body = 'Where is my <b>parcel</b>?';
    const start = body.indexOf('parcel');
    const wrapper = mount(InboxList, {
      props: {
        ...base,
        searching: true,
        items: [
          aSummary({
            id: '1',
            match: { in: 'message', text: body, highlights: [{ start, end: start + 'parcel'.length }] },
          }),
          aSummary({ id: '2', match: { in: 'order', text: null, highlights: [] } }),
        ],
      },
      global: { plugins: [router()] },
    });
    const [message, order] = wrapper.findAll('[data-testid="inbox-row-match"]');
    expect(message!.text()).toBe(body);
    expect(message!.findAll('mark').map((mark) => mark.text())).toEqual(['parcel']);
    expect(message!.find('b').exists()).toBe(false);
    expect(order!.text()).toBe('Matches one of their orders');
  });
});
