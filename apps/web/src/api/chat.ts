import type { ChatSessionRequest, ChatSessionResponse, ConversationView } from '@switchboard/contracts';

import { ApiError, ClientErrorCode, answer, api, auth } from './http';

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

function unexpectedShape(route: string): ApiError {
  return new ApiError({
    status: 200,
    code: ClientErrorCode.UnexpectedResponse,
    message: `${route} answered with an unexpected shape.`,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
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
