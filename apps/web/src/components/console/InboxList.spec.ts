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
});
