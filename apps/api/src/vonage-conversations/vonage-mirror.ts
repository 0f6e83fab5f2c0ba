import { Injectable } from '@nestjs/common';
import { CHAT_MESSAGE_MAX_LENGTH, type ChatMessage } from '@switchboard/contracts';
import { storableJson, storableText } from '../database/storable-text';
import { ThreadService } from '../thread/thread.service';
import { ThreadViews } from '../thread/thread-views';
import { parseRtcEvent, type RtcEvent } from './rtc-event';
import { VONAGE_CONVERSATIONS_PROVIDER, VonageLinksRepository } from './vonage-links.repository';

export type MirrorOutcome = { outcome: 'stored' | 'duplicate' } | { outcome: 'ignored'; reason: string };

/**
 * Keeps our copy of a Vonage conversation complete: what the customer posts there (texts, custom
 * events) is stored in our conversation, so the agent inbox and the history have it. What the desk
 * posted is ours already; events of other conversations or members are none of ours.
 */
@Injectable()
export class VonageMirror {
  constructor(
    private readonly links: VonageLinksRepository,
    private readonly thread: ThreadService,
    private readonly views: ThreadViews,
  ) {}

  async receive(payload: unknown): Promise<MirrorOutcome> {
    const parsed = parseRtcEvent(payload);
    if ('ignored' in parsed) return { outcome: 'ignored', reason: parsed.ignored };
    const { event } = parsed;
    const link = await this.links.byVonageConversation(event.conversationId);
    if (!link) return { outcome: 'ignored', reason: 'not a conversation of ours' };
    if (event.from === link.deskMemberId) return { outcome: 'ignored', reason: 'posted by Switchboard' };
    const fromCustomer =
      event.from === link.memberId || (event.fromUserId !== undefined && event.fromUserId === link.userId);
    if (!fromCustomer) return { outcome: 'ignored', reason: 'not posted by the customer' };

    const stored = await this.store(link.ticketId, link.customerId, event);
    if (!stored) return { outcome: 'duplicate' };
    // Told only after the commit, as for messages sent over our own socket.
    await this.thread.announce(link.ticketId, stored);
    return { outcome: 'stored' };
  }

  private store(ticketId: string, customerId: string, event: RtcEvent): Promise<ChatMessage[] | undefined> {
    const { content } = event;
    return this.thread.transaction(async (manager) => {
      const conversation = (await this.views.conversation(ticketId, manager, true))!;
      const id = await this.thread.appendFromProvider(manager, {
        ticketId,
        authorId: customerId,
        ...storedForm(content),
        provider: VONAGE_CONVERSATIONS_PROVIDER,
        providerMessageId: `${event.conversationId}:${event.id}`,
      });
      if (!id) return undefined;
      const reopened =
        content.kind === 'text' ? await this.thread.reopenForCustomer(manager, conversation) : undefined;
      const messages = [await this.views.chatMessage(id, manager)];
      if (reopened) messages.push(await this.views.chatMessage(reopened, manager));
      return messages;
    });
  }
}

/**
 * What the thread keeps of a Vonage event: only what PostgreSQL can store (U+FFFD for NUL and lone
 * surrogates), and at most a chat message's length. Longer is cut, not refused: a 400 would lose what the
 * customer wrote for good (Vonage does not fix and resend it), while a cut one still tells the agent most
 * of it. A custom event gets a readable line, its body kept whole in the payload.
 */
export function storedForm(content: RtcEvent['content']): {
  kind: 'text' | 'event';
  body: string;
  payload: Record<string, unknown>;
} {
  if (content.kind === 'text') return { kind: 'text', body: clip(content.text.trim()), payload: {} };
  const body = storableJson(content.body) as Record<string, unknown>;
  return {
    kind: 'event',
    body: clip(`The customer sent “${content.name}”: ${JSON.stringify(body)}`),
    payload: { type: 'vonage-custom', name: content.name, body },
  };
}

function clip(text: string): string {
  const cut = text.length > CHAT_MESSAGE_MAX_LENGTH ? `${text.slice(0, CHAT_MESSAGE_MAX_LENGTH - 1)}…` : text;
  return storableText(cut); // after the cut: it may split a surrogate pair
}
