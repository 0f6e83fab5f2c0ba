/**
 * Click-to-call: "call me back" from the chat page. Switchboard calls the customer's own number and
 * connects the call to the agent on duty; each step is a `call` event in the ticket's thread, which
 * the customer and the agents both see.
 */

/** Where a call is: one step after the other, then one outcome that never changes. */
export type CallStatus =
  | 'requested'
  | 'ringing'
  | 'answered'
  | 'connected'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'timeout'
  | 'cancelled'
  | 'unanswered'
  | 'rejected';

export const ENDED_CALL_STATUSES: readonly CallStatus[] = [
  'completed',
  'busy',
  'failed',
  'timeout',
  'cancelled',
  'unanswered',
  'rejected',
];

export interface CallView {
  id: string;
  status: CallStatus;
  /** `phone`: Switchboard calls the customer's phone; `browser`: the customer calls from the chat page. */
  via: 'phone' | 'browser';
  /** The customer's number Switchboard calls, E.164 (null for a call from the browser). */
  phone: string | null;
  /** Talk time in seconds, once the call is over (0 when it never connected). */
  durationSeconds: number | null;
  createdAt: string;
}

/** `GET /api/chat/conversations/{id}/call`: whether the chat page offers "Call us", and the call going on. */
export interface CallOptions {
  /** Voice is configured and an agent on duty can take a call now. */
  available: boolean;
  /** Why not, in words for the customer, when `available` is false. */
  reason: string | null;
  /** The number on the customer's record that a call would go to (E.164), or null. */
  phone: string | null;
  /** The call not over yet, if any. */
  call: CallView | null;
  /**
   * Whether the customer may call from the browser too: through the Vonage Client SDK (`vonage`; only
   * a web build with VITE_VOICE_CLIENT=true can), simulated by the sandbox (`sandbox`), or not (null).
   */
  browser: 'vonage' | 'sandbox' | null;
}

/** `POST …/calls` `{ via }`. */
export interface CallRequest {
  via?: 'phone' | 'browser';
}

/** A call from the browser through Vonage: what the Client SDK needs to place it. */
export interface BrowserCallSession {
  /** The Client SDK's session JWT (`createSession`). */
  token: string;
  /** Goes in `serverCall({ callToken })`: Switchboard's answer URL finds the call by it, once. */
  callToken: string;
}

/** The answer to `POST …/calls`: the call, and for a browser call through Vonage its session. */
export interface PlacedCall extends CallView {
  session: BrowserCallSession | null;
}

/** What a `call` event in the thread carries (`payload`). */
export interface CallEventPayload {
  type: 'call';
  callId: string;
  status: CallStatus;
  /** Whose phone the step is about: the customer's, or the agent's the call is connected to. */
  leg: 'customer' | 'agent';
  phone?: string;
  agentName?: string | null;
  durationSeconds?: number | null;
  /** The provider's detail for a call that failed (e.g. `number_out_of_service`). */
  detail?: string | null;
}

/** "2:05" */
export function formatCallDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** One line for a `call` event, the same in the chat page and the console; `formatPhone` groups the number. */
export function callEventText(
  payload: CallEventPayload,
  formatPhone: (e164: string) => string = (e164) => e164,
): string {
  const phone = payload.phone ? formatPhone(payload.phone) : 'the customer';
  const agent = payload.agentName ?? 'an agent';
  const detail = payload.detail ? ` (${payload.detail.replace(/_/g, ' ')})` : '';
  if (payload.leg === 'agent') {
    switch (payload.status) {
      case 'ringing':
        return `Calling ${agent}…`;
      case 'answered':
      case 'connected':
        return `Connected to ${agent}`;
      case 'completed':
        return `${capitalise(agent)} hung up`;
      case 'busy':
        return `${capitalise(agent)} could not take the call (busy)`;
      case 'timeout':
      case 'unanswered':
        return `${capitalise(agent)} did not answer`;
      case 'cancelled':
        return `The call to ${agent} was stopped`;
      default:
        return `The call could not reach ${agent}${detail}`;
    }
  }
  switch (payload.status) {
    case 'requested':
      return payload.phone ? `Call back requested to ${phone}` : 'Call from the chat page started';
    case 'ringing':
      return `Calling ${phone}…`;
    case 'answered':
      return 'Call answered, connecting to an agent';
    case 'connected':
      return `Connected to ${agent}`;
    case 'completed':
      return `Call ended after ${formatCallDuration(payload.durationSeconds ?? 0)}`;
    case 'busy':
      return 'Call not taken: the line was busy or the call was declined';
    case 'timeout':
    case 'unanswered':
      return 'Call not answered';
    case 'cancelled':
      return 'Call cancelled';
    case 'rejected':
    case 'failed':
      return `Call failed${detail}`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
