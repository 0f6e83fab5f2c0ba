import type { InboxChanged } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

import {
  createAgentSocket,
  type LiveChannel,
  type LiveChannelFactory,
  type LiveState,
} from '../../console/agent-socket';
import { fetchTicket } from '../../api/agent-client';
import { customerName } from '../../console/ticket-display';
import { sawPosition } from '../../api/read-position';
import { useInboxStore } from './inbox';
import { useInboxCountsStore } from './inbox-counts';
import { useAgentSessionStore } from './session';
import { useTicketStore } from './ticket';
import { useToastStore } from './toasts';

/** Whether the browser may show system notifications; `unsupported` without the Notification API. */
export type NotificationAccess = 'default' | 'granted' | 'denied' | 'unsupported';

/** Stop saying "typing" this long after the last keystroke. */
const TYPING_IDLE_MS = 4_000;
/** While the agent keeps typing, repeat the signal this often (the customer's page hides a silent one). */
const TYPING_REPEAT_MS = 3_000;

/**
 * The console's live connection: routes `inbox:changed` to the inbox and the open ticket, keeps the
 * open ticket joined for its messages, typing and read markers, and catches up after a reconnect
 * (whatever was missed while offline is refetched, never guessed).
 */
export const useLiveStore = defineStore('console-live', () => {
  const state = ref<LiveState>('offline');
  /** Whether the browser may show system notifications (asked only when the agent clicks). */
  const notificationPermission = ref<NotificationAccess>(
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );

  let channel: LiveChannel | undefined;
  let connectedBefore = false;
  let joined: string | null = null;
  /** What the server last heard this console shows (undefined: not told on this connection). */
  let viewing: string | null | undefined;
  let stopWatching: (() => void) | undefined;
  let stopRenewing: (() => void) | undefined;
  let typingFor: string | null = null;
  let typingIdle: ReturnType<typeof setTimeout> | undefined;
  let typingSentAt = 0;

  function start(factory: LiveChannelFactory = createAgentSocket): void {
    if (channel) return;
    const session = useAgentSessionStore();
    const ticket = useTicketStore();
    connectedBefore = false;
    joined = null;
    channel = factory(
      {
        state: (next) => void changeState(next),
        revoked: () => session.revoked(),
        inboxChanged: (change) => void inboxChanged(change),
        message: (message) => ticket.receive(message),
        typing: (change) => ticket.typingChanged(change),
        read: (change) => ticket.readChanged(change),
      },
      () => session.accessToken,
    );
    stopWatching = watch(
      () => [ticket.ticketId, ticket.status] as const,
      () => {
        void joinOpenTicket();
        reportViewing();
      },
    );
    document.addEventListener('visibilitychange', reportViewing);
    // A refreshed token goes to the live socket at once: the server closes it when the old one expires.
    stopRenewing = watch(
      () => session.accessToken,
      (token, previous) => {
        if (token && previous && token !== previous) {
          channel?.renew(token).catch(() => {
            // Refused or unanswered: the server ends the socket at expiry and it reconnects with this token.
          });
        }
      },
    );
    channel.connect();
  }

  async function changeState(next: LiveState): Promise<void> {
    state.value = next;
    if (next === 'live') {
      joined = null;
      // Changes pushed while we were not connected are lost: refetch what the agent is looking at.
      const inbox = useInboxStore();
      if (connectedBefore || inbox.status === 'ready') void inbox.load();
      void useInboxCountsStore().refresh();
      if (connectedBefore) void useTicketStore().refresh();
      connectedBefore = true;
      viewing = undefined;
      reportViewing();
      await joinOpenTicket();
    } else if (next === 'unauthorized') {
      // The token expired (while disconnected, or before a renewal reached the server): refresh it, then
      // the handshake can succeed.
      const session = useAgentSessionStore();
      try {
        if (await session.refresh()) channel?.connect();
      } catch {
        setTimeout(() => channel?.connect(), 5_000);
      }
    } else {
      joined = null;
    }
  }

  /**
   * Tells the server which ticket is on screen (none while the tab is hidden): a customer opening a
   * chat an agent is looking at alerts nobody by SMS.
   */
  function reportViewing(): void {
    const id = document.visibilityState === 'hidden' ? null : useTicketStore().ticketId;
    if (!channel || state.value !== 'live' || id === viewing) return;
    viewing = id;
    channel.view(id).catch(() => {
      if (viewing === id) viewing = undefined;
    });
  }

  async function joinOpenTicket(): Promise<void> {
    const ticket = useTicketStore();
    const id = ticket.ticketId;
    if (!channel || state.value !== 'live' || !id || ticket.status !== 'ready' || joined === id) return;
    joined = id;
    try {
      const caughtUp = await channel.join(id, ticket.lastSeq);
      ticket.receiveMany(caughtUp.messages);
      ticket.readChanged({ conversationId: id, role: 'customer', seq: caughtUp.read.customer });
    } catch {
      if (joined === id) joined = null;
    }
  }

  async function inboxChanged(change: InboxChanged): Promise<void> {
    const ticket = useTicketStore();
    sawPosition(change.position);
    void useInboxStore().ticketChanged(change.ticketId);
    useInboxCountsStore().changed();
    if (change.ticketId === ticket.ticketId) void ticket.refresh();
    if (change.reason === 'chat_opened') await announceChatOpened(change.ticketId);
  }

  /** A customer clicked the chat link in their order email: they may be about to write. */
  async function announceChatOpened(ticketId: string): Promise<void> {
    let who = 'A customer';
    let order: string | null = null;
    try {
      const detail = await useAgentSessionStore().authorized((token) => fetchTicket(token, ticketId));
      who = customerName(detail.customer);
      order = detail.currentOrderId;
    } catch {
      // Still worth a notice without the name.
    }
    const title = `${who} opened the chat`;
    const body = order ? `About order #${order}` : 'From their order email';
    useToastStore().show({
      title,
      body,
      action: { label: 'Open chat', to: { name: 'agent-ticket', params: { ticketId } } },
    });
    if (
      notificationPermission.value === 'granted' &&
      typeof document !== 'undefined' &&
      document.visibilityState === 'hidden'
    ) {
      const notification = new Notification(title, { body, tag: `chat-opened-${ticketId}` });
      notification.onclick = () => {
        window.focus();
        window.location.assign(`/agent/tickets/${encodeURIComponent(ticketId)}`);
      };
    }
  }

  async function askNotificationPermission(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    notificationPermission.value = await Notification.requestPermission();
  }

  /** The agent is typing in a chat: tell the customer, at most every few seconds, and stop when idle. */
  function typing(conversationId: string): void {
    if (!channel) return;
    if (typingFor !== conversationId || Date.now() - typingSentAt > TYPING_REPEAT_MS) {
      if (typingFor && typingFor !== conversationId) channel.typing(typingFor, false);
      channel.typing(conversationId, true);
      typingFor = conversationId;
      typingSentAt = Date.now();
    }
    clearTimeout(typingIdle);
    typingIdle = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping(): void {
    clearTimeout(typingIdle);
    if (typingFor) channel?.typing(typingFor, false);
    typingFor = null;
  }

  function stop(): void {
    stopTyping();
    stopWatching?.();
    stopWatching = undefined;
    document.removeEventListener('visibilitychange', reportViewing);
    viewing = undefined;
    stopRenewing?.();
    stopRenewing = undefined;
    channel?.disconnect();
    channel = undefined;
    joined = null;
    state.value = 'offline';
  }

  return { state, notificationPermission, start, stop, typing, stopTyping, askNotificationPermission };
});
