import type { ChatSessionRequest, ChatSessionResponse, ConversationView } from '@switchboard/contracts';

import { answer, api, auth } from './http';
import { isRecord, unexpectedShape } from './answer-shape';

/** Trades a chat link's token for a short-lived session; posting the same token again renews it. */
export async function createChatSession(request: ChatSessionRequest): Promise<ChatSessionResponse> {
  const body: unknown = await answer(api.POST('/api/chat/session', { body: request }));
  if (!isChatSession(body)) throw unexpectedShape('POST /api/chat/session');
  return body;
}

export interface ConversationPage {
  /** Only messages before this `seq`: for "show earlier messages". */
  beforeSeq?: number;
  limit?: number;
}

export async function fetchConversation(
  conversationId: string,
  accessToken: string,
  page: ConversationPage = {},
): Promise<ConversationView> {
  const body: unknown = await answer(
    api.GET('/api/chat/conversations/{id}', {
      ...auth({ accessToken }),
      params: { path: { id: conversationId }, query: { limit: page.limit, beforeSeq: page.beforeSeq } },
    }),
  );
  if (!isConversationView(body)) throw unexpectedShape('GET /api/chat/conversations/:id');
  return body;
}

function isChatSession(value: unknown): value is ChatSessionResponse {
  return (
    isRecord(value) &&
    typeof value.accessToken === 'string' &&
    typeof value.expiresIn === 'number' &&
    typeof value.conversationId === 'string' &&
    isRecord(value.customer) &&
    typeof value.transport === 'string'
  );
}

function isConversationView(value: unknown): value is ConversationView {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    Array.isArray(value.orders) &&
    Array.isArray(value.messages) &&
    typeof value.hasEarlier === 'boolean' &&
    isRecord(value.read)
  );
}
