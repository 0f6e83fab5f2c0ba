import { onBeforeUnmount, onMounted } from 'vue';

export interface ConsoleShortcutActions {
  next(): void;
  previous(): void;
  reply(): void;
  search(): void;
  close(): void;
  help(): void;
}

/** Fields where a letter is text, not a command. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The console's single-key shortcuts (Gmail and Zammad style): j/k move in the inbox, r replies, /
 * searches, Esc leaves a field and then closes the ticket, ? lists them. Never while typing, never with
 * a modifier (those belong to the browser), never under an open dialog.
 */
export function useConsoleShortcuts(actions: ConsoleShortcutActions): void {
  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (document.querySelector('dialog[open]')) return;
    const typing = isTypingTarget(event.target);
    if (event.key === 'Escape') {
      if (typing) (event.target as HTMLElement).blur();
      else actions.close();
      return;
    }
    if (typing) return;
    const action: Record<string, () => void> = {
      j: actions.next,
      k: actions.previous,
      r: actions.reply,
      '/': actions.search,
      '?': actions.help,
    };
    const run = action[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  }

  onMounted(() => document.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => document.removeEventListener('keydown', onKeydown));
}
