import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import { anEntry } from '../../console/testing/console-builders';
import ThreadMessage from './ThreadMessage.vue';

const base = { channel: 'sms' as const, customerReadSeq: 0, customerLabel: 'Ada Lovelace' };

describe('ThreadMessage', () => {
  it('shows what a customer typed as text, never as HTML', () => {
    const wrapper = mount(ThreadMessage, {
      props: { ...base, entry: anEntry({ body: '<img src=x onerror=alert(1)> **hi**' }) },
    });

    expect(wrapper.get('[data-testid="message-body"]').text()).toBe('<img src=x onerror=alert(1)> **hi**');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.get('.bubble__author').text()).toBe('Ada Lovelace');
  });

  it('shows the delivery of an SMS reply', () => {
    const wrapper = mount(ThreadMessage, {
      props: { ...base, entry: anEntry({ direction: 'out', status: 'delivered' }) },
    });

    expect(wrapper.get('[data-testid="thread-message"]').attributes('data-status')).toBe('delivered');
    expect(wrapper.get('[data-testid="delivery"]').text()).toBe('Delivered');
  });

  it('gives the reason of a failed SMS and a Resend button', async () => {
    const entry = anEntry({
      direction: 'out',
      status: 'failed',
      error: 'Delivery failed: absent subscriber',
    });
    const wrapper = mount(ThreadMessage, { props: { ...base, entry } });

    expect(wrapper.get('[data-testid="delivery-error"]').text()).toBe('Delivery failed: absent subscriber');
    await wrapper.get('[data-testid="resend"]').trigger('click');
    expect(wrapper.emitted('resend')).toEqual([[entry.id]]);

    await wrapper.setProps({ resent: true });
    expect(wrapper.get('[data-testid="resend"]').text()).toBe('Resent below');
    expect(wrapper.get('[data-testid="resend"]').attributes('disabled')).toBeDefined();
  });

  it('labels automatic SMS', () => {
    const wrapper = mount(ThreadMessage, {
      props: { ...base, entry: anEntry({ direction: 'out', payload: { automated: 'confirmation' } }) },
    });

    expect(wrapper.get('.bubble__author').text()).toBe('Automatic confirmation');
  });

  it('draws an order-confirm event as an order card and a status change as a line', () => {
    const order = mount(ThreadMessage, {
      props: {
        ...base,
        channel: 'chat',
        entry: anEntry({
          kind: 'event',
          payload: {
            type: 'order-confirm',
            orderId: '77',
            total: 998,
            currency: 'USD',
            items: [{ name: 'Blue widget', quantity: 2, unitPrice: 499 }],
          },
        }),
      },
    });
    expect(order.get('[data-testid="thread-order"]').text()).toContain('Order #77 confirmed');
    expect(order.text()).toContain('$9.98');
    expect(order.text()).toContain('2 × Blue widget');

    const status = mount(ThreadMessage, {
      props: {
        ...base,
        entry: anEntry({
          kind: 'event',
          payload: { type: 'status_changed', from: 'open', to: 'resolved', byName: 'Grace' },
        }),
      },
    });
    expect(status.get('[data-testid="thread-event"]').text()).toContain('Grace resolved the ticket');
  });
});
