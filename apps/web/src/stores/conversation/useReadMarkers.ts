import type { ReadChanged } from '@switchboard/contracts';
import { ref, type Ref } from 'vue';

import type { ReadMarkers } from '../../chat/chat-transport';
import { conversationIdOf, type ChatContext } from './chat-context';

/** How far each side has read (by `seq`), never going back; the customer's is sent as they read. */
export function useReadMarkers(context: ChatContext, lastSeq: Ref<number>) {
  const read = ref<ReadMarkers>({ customer: 0, agent: 0 });
  let readSent = 0;

  /** Tells the agent the customer has read everything here. The page calls it while it is visible. */
  async function markRead(): Promise<void> {
    const seq = lastSeq.value;
    const transport = context.transport();
    if (!transport || context.connection.value !== 'online' || seq <= Math.max(read.value.customer, readSent))
      return;
    readSent = seq;
    try {
      await transport.read(conversationIdOf(context), seq);
      read.value = { ...read.value, customer: Math.max(read.value.customer, seq) };
    } catch {
      // The next visible moment tries again.
      readSent = read.value.customer;
    }
  }

  function onRead(change: ReadChanged): void {
    if (change.conversationId !== context.link.value?.conversationId) return;
    read.value = { ...read.value, [change.role]: Math.max(read.value[change.role], change.seq) };
  }

  return {
    read,
    markRead,
    onRead,
    /** The markers of a full history: taken as they are. */
    replace(markers: ReadMarkers): void {
      read.value = { ...markers };
    },
    /** The markers a catch-up answered with: only ever forward. */
    advance(markers: ReadMarkers): void {
      read.value = {
        customer: Math.max(read.value.customer, markers.customer),
        agent: Math.max(read.value.agent, markers.agent),
      };
    },
    reset(): void {
      read.value = { customer: 0, agent: 0 };
      readSent = 0;
    },
  };
}
