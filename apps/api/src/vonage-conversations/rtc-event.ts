import { HttpStatus } from '@nestjs/common';
import { ErrorCode, type FieldError } from '@switchboard/contracts';
import { ApiException } from '../http/api-exception';

/** One Vonage event worth mirroring into our conversation. */
export interface RtcEvent {
  /** Increasing within its conversation. */
  id: string;
  conversationId: string;
  /** The member who posted it. */
  from: string;
  /** The Vonage user behind that member, when Vonage says. */
  fromUserId?: string;
  content: { kind: 'text'; text: string } | { kind: 'custom'; name: string; body: Record<string, unknown> };
}

export type ParsedRtcEvent = { event: RtcEvent } | { ignored: string };

const CUSTOM = /^custom:([\w\-:]+)$/;

/**
 * Reads a Vonage RTC webhook body (docs/provider-contracts.md §5.4). Text (`text`, or `message` of
 * `message_type` text) and custom events are kept; every other type (typing, seen, member changes …)
 * is ignored without looking further. A kept type with a missing or wrong field is a 400 naming it.
 */
export function parseRtcEvent(payload: unknown): ParsedRtcEvent {
  if (!isObject(payload))
    throw invalid([{ field: 'body', message: 'the webhook body must be a JSON object' }]);
  const type = payload.type;
  if (typeof type !== 'string' || type === '') {
    throw invalid([{ field: 'type', message: 'type is required: the Vonage event type' }]);
  }
  const custom = CUSTOM.exec(type);
  if (type !== 'text' && type !== 'message' && !custom) return { ignored: `event type ${type}` };

  const errors: FieldError[] = [];
  const id = typeof payload.id === 'number' || typeof payload.id === 'string' ? String(payload.id) : '';
  if (!/^\d{1,18}$/.test(id)) errors.push({ field: 'id', message: 'id must be the event’s number' });
  const conversationId = text(payload.conversation_id);
  if (!conversationId) errors.push({ field: 'conversation_id', message: 'conversation_id is required' });
  const from = text(payload.from);
  if (!from) errors.push({ field: 'from', message: 'from is required: the member who posted the event' });
  const body = payload.body;
  if (!isObject(body)) errors.push({ field: 'body', message: 'body must be an object' });
  if (errors.length > 0) throw invalid(errors);
  const event = { id, conversationId: conversationId!, from: from!, fromUserId: fromUser(payload) };

  if (custom)
    return {
      event: {
        ...event,
        content: { kind: 'custom', name: custom[1]!, body: body as Record<string, unknown> },
      },
    };
  const messageType = (body as Record<string, unknown>).message_type;
  if (type === 'message' && messageType !== 'text') {
    if (typeof messageType !== 'string') {
      throw invalid([{ field: 'body.message_type', message: 'body.message_type is required' }]);
    }
    return { ignored: `message of type ${messageType}` };
  }
  const said = (body as Record<string, unknown>).text;
  if (typeof said !== 'string' || said.trim() === '') {
    throw invalid([{ field: 'body.text', message: 'body.text must be the text of the message' }]);
  }
  return { event: { ...event, content: { kind: 'text', text: said } } };
}

function fromUser(payload: Record<string, unknown>): string | undefined {
  const embedded = payload._embedded;
  if (!isObject(embedded) || !isObject(embedded.from_user)) return undefined;
  return text(embedded.from_user.id);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(errors: FieldError[]): ApiException {
  return new ApiException(
    HttpStatus.BAD_REQUEST,
    ErrorCode.ValidationFailed,
    `Invalid RTC event: ${errors.map((error) => error.field).join(', ')}`,
    errors,
  );
}
