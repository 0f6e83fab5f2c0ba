import { CHAT_MESSAGE_MAX_LENGTH, type ConversationView, type OrderView } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

import { fetchConversation } from '../api/chat';
import type { ApiError } from '../api/http';
import type { ChatTransport, ConnectionState, Unsubscribe } from '../chat/chat-transport';
import { loadChatTransport } from '../chat/load-chat-transport';
import { toApiError } from './conversation/chat-failures';
import {
  useChatLife,
  type ChatContext,
  type ChatLink,
  type ConnectionStatus,
  type ConversationSummary,
} from './conversation/chat-context';
import { useChatSession } from './conversation/useChatSession';
import { useEarlierMessages } from './conversation/useEarlierMessages';
import { useMessageSync } from './conversation/useMessageSync';
import { usePendingMessages } from './conversation/usePendingMessages';
import { useReadMarkers } from './conversation/useReadMarkers';
import { useTyping } from './conversation/useTyping';
import type { LoadStatus } from './load-status';

export type { ChatLink, ConnectionStatus, ConversationSummary } from './conversation/chat-context';
export type { PendingMessage } from './conversation/usePendingMessages';

/**
 * The customer's chat page: the session bought with the chat link, the conversation loaded over REST,
 * then kept live by a `ChatTransport`. Its parts live in `conversation/`: the session and its renewal,
 * the messages and their sync by `seq`, the pending queue, typing, read markers, earlier history.
 */
export const useConversationStore = defineStore('conversation', () => {
  const status = ref<LoadStatus>('idle');
  const error = ref<ApiError | null>(null);
  const link = ref<ChatLink | null>(null);
  const conversation = ref<ConversationSummary | null>(null);
  const connection = ref<ConnectionStatus>('connecting');

  const life = useChatLife();
  let transport: ChatTransport | undefined;
  let transportState: ConnectionState = 'connecting';
  let subscriptions: Unsubscribe[] = [];
  const context: ChatContext = {
    life,
    link,
    connection,
    transport: () => transport,
    connected: () => transportState === 'connected',
    fail,
  };

  const chatSession = useChatSession(context);
  const typing = useTyping(context);
  const outbox = usePendingMessages(context, (messages) => sync.accept(messages));
  const sync = useMessageSync(context, {
    confirmed: (clientIds) => outbox.settle(clientIds),
    agentWrote: () => typing.agentWrote(),
    readMarkers: (markers) => readMarkers.advance(markers),
    caughtUp() {
      chatSession.accepted();
      connection.value = 'online';
      void outbox.flush();
    },
  });
  const readMarkers = useReadMarkers(context, sync.lastSeq);
  const earlier = useEarlierMessages(context, {
    conversation,
    messages: sync.messages,
    accept: sync.accept,
    withSession: chatSession.withSession,
  });

  const currentOrder = computed<OrderView | null>(
    () => conversation.value?.orders.find((order) => order.id === link.value?.orderId) ?? null,
  );
  const otherOrders = computed<OrderView[]>(
    () => conversation.value?.orders.filter((order) => order.id !== link.value?.orderId) ?? [],
  );

  /** Opens the chat for this link: session, conversation, then the live connection. Never rejects. */
  async function open(next: ChatLink): Promise<void> {
    close();
    const current = life.current();
    link.value = next;
    status.value = 'loading';
    error.value = null;
    conversation.value = null;
    connection.value = 'connecting';
    for (const part of [chatSession, sync, outbox, readMarkers, typing, earlier]) part.reset();

    let loaded: ChatTransport;
    try {
      await chatSession.renew();
      const session = chatSession.session.value!;
      const [view, transportLoaded] = await Promise.all([
        chatSession.withSession((token) => fetchConversation(next.conversationId, token)),
        loadChatTransport(session.transport),
      ]);
      loaded = transportLoaded;
      if (!life.isCurrent(current)) {
        loaded.disconnect();
        return;
      }
      applyView(view, !loaded.ownsHistory);
    } catch (cause) {
      if (life.isCurrent(current)) fail(cause);
      return;
    }
    if (!life.isCurrent(current)) {
      loaded.disconnect();
      return;
    }
    transport = loaded;
    status.value = 'ready';
    subscriptions = [
      transport.onConnectionChange(onConnectionChange),
      transport.onMessage(sync.onLiveMessage),
      transport.onTyping(typing.onTyping),
      transport.onRead(readMarkers.onRead),
    ];
    transport.connect(chatSession.session.value!);
  }

  /** After an error: the same link again, from the start. */
  function retry(): Promise<void> {
    return link.value ? open(link.value) : Promise.resolve();
  }

  /** Leaves the chat: disconnects and stops every timer. The state stays for whoever still shows it. */
  function close(): void {
    life.end();
    for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    transport?.disconnect();
    transport = undefined;
    transportState = 'connecting';
    for (const part of [chatSession, sync, outbox, typing]) part.stop();
  }

  /** Queues a message and sends it as soon as the chat is online. False when there is nothing to send. */
  function send(text: string): boolean {
    const body = text.trim();
    if (status.value !== 'ready' || body === '' || body.length > CHAT_MESSAGE_MAX_LENGTH) return false;
    outbox.add(body);
    typing.stopTyping();
    void outbox.flush();
    return true;
  }

  /** Without `withHistory` (a transport that keeps its own), only the customer and their orders are used. */
  function applyView(view: ConversationView, withHistory: boolean): void {
    const { messages: history, read: markers, ...summary } = view;
    conversation.value = withHistory ? summary : { ...summary, hasEarlier: false };
    if (!withHistory) return;
    readMarkers.replace(markers);
    sync.acceptHistory(history);
  }

  function onConnectionChange(state: ConnectionState): void {
    transportState = state;
    if (state === 'connected') {
      void sync.sync();
      return;
    }
    connection.value = state === 'connecting' ? 'connecting' : 'offline';
    typing.disconnected();
    if (state === 'unauthorized') void chatSession.reauthorize();
  }

  function fail(cause: unknown): void {
    close();
    error.value = toApiError(cause);
    status.value = 'error';
  }

  return {
    status,
    error,
    link,
    session: chatSession.session,
    conversation,
    messages: sync.messages,
    pending: outbox.pending,
    read: readMarkers.read,
    connection,
    agentTyping: typing.agentTyping,
    earlierStatus: earlier.earlierStatus,
    lastSeq: sync.lastSeq,
    currentOrder,
    otherOrders,
    open,
    retry,
    close,
    send,
    retrySend: outbox.retrySend,
    discard: outbox.discard,
    composing: typing.composing,
    markRead: readMarkers.markRead,
    loadEarlier: earlier.loadEarlier,
  };
});
