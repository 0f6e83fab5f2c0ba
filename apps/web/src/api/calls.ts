import type { CallOptions, CallView, PlacedCall } from '@switchboard/contracts';

import { answer, api, auth } from './http';
import { isRecord, unexpectedShape } from './answer-shape';

/** "Call us" on the chat page: whether it is offered, the call back, hanging up. */
export async function fetchCallOptions(conversationId: string, accessToken: string): Promise<CallOptions> {
  const body: unknown = await answer(
    api.GET('/api/chat/conversations/{id}/calls', {
      ...auth({ accessToken }),
      params: { path: { id: conversationId } },
    }),
  );
  if (!isCallOptions(body)) throw unexpectedShape('GET /api/chat/conversations/:id/calls');
  return body;
}

/** `phone`: Switchboard calls the number on record; `browser`: the customer calls from this page. */
export async function requestCall(
  conversationId: string,
  accessToken: string,
  via: 'phone' | 'browser' = 'phone',
): Promise<PlacedCall> {
  const body: unknown = await answer(
    api.POST('/api/chat/conversations/{id}/calls', {
      ...auth({ accessToken }),
      params: { path: { id: conversationId } },
      body: { via },
    }),
  );
  if (!isCall(body) || !('session' in body)) throw unexpectedShape('POST /api/chat/conversations/:id/calls');
  return body as PlacedCall;
}

export async function hangUpCall(conversationId: string, callId: string, accessToken: string): Promise<void> {
  await answer(
    api.DELETE('/api/chat/conversations/{id}/calls/{callId}', {
      ...auth({ accessToken }),
      params: { path: { id: conversationId, callId } },
    }),
  );
}

function isCall(value: unknown): value is CallView {
  return isRecord(value) && typeof value.id === 'string' && typeof value.status === 'string';
}

function isCallOptions(value: unknown): value is CallOptions {
  return (
    isRecord(value) &&
    typeof value.available === 'boolean' &&
    (value.call === null || isCall(value.call)) &&
    (value.phone === null || typeof value.phone === 'string')
  );
}
