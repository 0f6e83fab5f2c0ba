import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RouteLocationRaw } from 'vue-router';

export type ToastTone = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  body: string | null;
  /** A link that does what the toast is about ("Open chat"). */
  action: { label: string; to: RouteLocationRaw } | null;
}

export interface ToastInit {
  tone?: ToastTone;
  title: string;
  body?: string | null;
  action?: Toast['action'];
  /** Milliseconds on screen; errors stay until dismissed. */
  timeoutMs?: number | null;
}

const DEFAULT_TIMEOUT_MS = 8_000;
const MAX_TOASTS = 4;

/** Short notices in a corner: a customer opened a chat, a change was refused. */
export const useToastStore = defineStore('console-toasts', () => {
  const toasts = ref<Toast[]>([]);
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 1;

  function show(init: ToastInit): number {
    const tone = init.tone ?? 'info';
    const toast: Toast = {
      id: nextId++,
      tone,
      title: init.title,
      body: init.body ?? null,
      action: init.action ?? null,
    };
    toasts.value = [...toasts.value, toast].slice(-MAX_TOASTS);
    const timeout =
      init.timeoutMs === undefined ? (tone === 'error' ? null : DEFAULT_TIMEOUT_MS) : init.timeoutMs;
    if (timeout !== null)
      timers.set(
        toast.id,
        setTimeout(() => dismiss(toast.id), timeout),
      );
    return toast.id;
  }

  function dismiss(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function clear(): void {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    toasts.value = [];
  }

  return { toasts, show, dismiss, clear };
});
