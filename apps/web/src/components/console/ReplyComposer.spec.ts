import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ref } from 'vue';

import ReplyComposer from './ReplyComposer.vue';

function mountComposer(props: {
  channel: 'sms' | 'chat';
  modelValue?: string;
  disabledReason?: string | null;
}) {
  const text = ref(props.modelValue ?? '');
  const wrapper = mount(ReplyComposer, {
    props: {
      channel: props.channel,
      modelValue: text.value,
      disabledReason: props.disabledReason ?? null,
      'onUpdate:modelValue': (value: string) => {
        text.value = value;
        void wrapper.setProps({ modelValue: value });
      },
    },
    attachTo: document.body,
  });
  return { wrapper, text };
}

describe('ReplyComposer', () => {
  it('counts SMS parts as the agent types', async () => {
    const { wrapper } = mountComposer({ channel: 'sms' });

    await wrapper.get('textarea').setValue('a'.repeat(161));

    expect(wrapper.get('[data-testid="composer-count"]').text()).toContain('2 SMS');
    expect(wrapper.get('[data-testid="composer-count"]').text()).toContain('145 characters left');
    expect(wrapper.find('[data-testid="unicode-warning"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('warns which character forces Unicode, and offers plain characters when that helps', async () => {
    const { wrapper, text } = mountComposer({ channel: 'sms' });

    await wrapper.get('textarea').setValue('We’re on it');

    const warning = wrapper.get('[data-testid="unicode-warning"]');
    expect(warning.text()).toContain('“’”');
    expect(warning.text()).toContain('70 characters per SMS instead of 160');
    await warning.get('button').trigger('click');
    expect(text.value).toBe("We're on it");
    expect(wrapper.find('[data-testid="unicode-warning"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('does not offer a fix for an emoji', async () => {
    const { wrapper } = mountComposer({ channel: 'sms', modelValue: 'Thanks 😀' });

    expect(wrapper.get('[data-testid="unicode-warning"]').find('button').exists()).toBe(false);
    wrapper.unmount();
  });

  it('counts chat characters against the limit and refuses too long a reply', async () => {
    const { wrapper } = mountComposer({ channel: 'chat', modelValue: 'x'.repeat(2001) });

    expect(wrapper.get('[data-testid="composer-count"]').text()).toBe('2001 / 2000');
    expect(wrapper.get('[data-testid="reply-send"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('sends with Ctrl+Enter or Cmd+Enter; plain Enter is a new line', async () => {
    const { wrapper } = mountComposer({ channel: 'chat', modelValue: 'On its way' });
    const field = wrapper.get('textarea');

    await field.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('send')).toBeUndefined();
    await field.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await field.trigger('keydown', { key: 'Enter', metaKey: true });

    expect(wrapper.emitted('send')).toEqual([['On its way'], ['On its way']]);
    wrapper.unmount();
  });

  it('is disabled for an opted-out customer', () => {
    const { wrapper } = mountComposer({
      channel: 'sms',
      modelValue: 'Hi',
      disabledReason: 'The customer opted out of SMS',
    });

    expect(wrapper.get('textarea').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="reply-send"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });
});
