import { randomUUID } from 'node:crypto';
import { ChatEvent } from '@switchboard/contracts';
import { aUsername } from './integration-api';
import { asVonageSends, type Deployment, webhookPathToken } from './deployments';
import type { Cast, PrincipalName } from './principals';
import { aPhoneNumber, inboundSms } from './sms-webhooks';

/**
 * Who may do what. Every route the app can serve and every socket event has exactly one row here; the
 * authorisation matrix (authorization-matrix.e2e-spec.ts) checks each row against every principal in
 * several deployments, fails for a route or event without a row, and the fuzz test reaches each route's
 * validation as the principal its row lets in.
 */

/**
 * - `public`: no bearer token counts; everyone gets the route's answer (Vonage's webhooks carry their
 *   own credentials: a signature or our api-key, and the path token).
 * - `agent`: agents and admins; no valid access token → 401, a customer's → 403.
 * - `admin`: admins; no valid access token → 401, a customer's or an agent's → 403.
 * - `conversation`: customer A, whose conversation the request names, and agents; customer B → 403;
 *   no valid access token → 401.
 * - `integration`: the shop's API_TOKEN only; anything else → 401.
 * - `hidden`: mounted but an ordinary 404 for everyone (a path token not given, a provider not configured).
 * - `unmounted`: neither documented nor served here: 404.
 */
export type Access = 'public' | 'agent' | 'admin' | 'conversation' | 'integration' | 'hidden' | 'unmounted';

/** A request that passes validation, so that only who sends it decides the answer. */
export interface ValidRequest {
  /** Values of the route's `{param}`s. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** `form`: the body goes application/x-www-form-urlencoded. */
  encoding?: 'json' | 'form';
}

/** An access class, or each principal's status where no class fits. */
export type AccessRule = Access | Partial<Record<PrincipalName, number>>;

export interface RouteRow {
  access: AccessRule | ((deployment: Deployment) => AccessRule);
  /** What a principal it lets in gets. */
  ok: number;
  request?: (cast: Cast, deployment: Deployment) => ValidRequest;
}

const unique = () => randomUUID().slice(0, 8);

const SANDBOX_TOOL_ACCESS: Record<Deployment['sandbox'], Access> = {
  open: 'public',
  'agents-only': 'agent',
  none: 'unmounted',
};
const sandboxTool = (deployment: Deployment): Access => SANDBOX_TOOL_ACCESS[deployment.sandbox];

/** The SMS webhooks answer at their plain path, or only at `/<WEBHOOK_PATH_TOKEN>` when it is set. */
const smsWebhook = (withToken: boolean, params: () => Record<string, string>, get: boolean): RouteRow => ({
  access: (deployment) => (Boolean(deployment.pathToken) === withToken ? 'public' : 'hidden'),
  ok: 204,
  request: (_cast, deployment) => {
    const sent = asVonageSends(deployment, params());
    return {
      ...(withToken ? { params: { token: webhookPathToken(deployment) } } : {}),
      ...(get ? { query: sent } : { body: sent }),
    };
  },
});

const receipt = () => ({
  messageId: `DLR${unique().toUpperCase()}`,
  status: 'delivered',
  msisdn: '447700900001',
  to: '447700900000',
  'err-code': '0',
  'message-timestamp': '2026-11-03 12:09:05',
});
const inbound = () => inboundSms({ msisdn: aPhoneNumber() });

const smsWebhookRows = (path: string, params: () => Record<string, string>) => ({
  [`GET ${path}`]: smsWebhook(false, params, true),
  [`POST ${path}`]: smsWebhook(false, params, false),
  [`GET ${path}/{token}`]: smsWebhook(true, params, true),
  [`POST ${path}/{token}`]: smsWebhook(true, params, false),
});

/** Every route, as the OpenAPI document spells it. */
export const ROUTE_ACCESS: Record<string, RouteRow> = {
  // The shop integration.
  'POST /api/users': {
    access: 'integration',
    ok: 201,
    request: () => {
      const username = aUsername('matrix');
      return { body: { username, name: 'Grace', email: `${username}@example.com` } };
    },
  },
  'POST /user': {
    access: 'integration',
    ok: 201,
    request: () => ({ body: { username: aUsername('tutorial') }, encoding: 'form' }),
  },
  'PATCH /api/users/{username}': {
    access: 'integration',
    ok: 200,
    request: ({ customerC }) => ({ params: { username: customerC.username }, body: { name: 'Carol' } }),
  },
  'POST /api/orders': {
    access: 'integration',
    ok: 201,
    request: ({ customerC }) => ({
      body: {
        username: customerC.username,
        items: [{ name: 'Widget', quantity: 2, unitPrice: 4.99 }],
        currency: 'EUR',
      },
    }),
  },
  'POST /order': {
    access: 'integration',
    ok: 201,
    request: ({ customerC }) => ({ body: { username: customerC.username } }),
  },
  'GET /api/users/{username}/orders': {
    access: 'integration',
    ok: 200,
    request: ({ customerC }) => ({ params: { username: customerC.username } }),
  },

  // Customers' chat.
  'POST /api/chat/session': {
    access: 'public',
    ok: 200,
    request: ({ customerA }) => ({
      body: { conversationId: customerA.conversationId, token: customerA.linkToken },
    }),
  },
  'GET /api/chat/conversations/{id}': {
    access: 'conversation',
    ok: 200,
    request: ({ customerA }) => ({ params: { id: customerA.conversationId }, query: { limit: '20' } }),
  },
  'POST /api/chat/conversations/{id}/messages': {
    access: 'conversation',
    ok: 201,
    request: ({ customerA }) => ({
      params: { id: customerA.conversationId },
      body: { clientId: randomUUID(), body: 'Where is my parcel?' },
    }),
  },

  // Call me back: customer A has no number on record (409 wherever voice is on or off); agents cannot ask.
  'GET /api/chat/conversations/{id}/calls': {
    access: 'conversation',
    ok: 200,
    request: ({ customerA }) => ({ params: { id: customerA.conversationId } }),
  },
  'POST /api/chat/conversations/{id}/calls': {
    access: { ...everyone(401), customerA: 409, customerB: 403, agent: 403, admin: 403 },
    ok: 409,
    request: ({ customerA }) => ({ params: { id: customerA.conversationId } }),
  },
  'DELETE /api/chat/conversations/{id}/calls/{callId}': {
    access: 'conversation',
    ok: 404,
    request: ({ customerA }) => ({ params: { id: customerA.conversationId, callId: '999999999' } }),
  },

  // Agents' sign-in: the refresh cookie is the credential of refresh and logout, never a bearer token.
  'POST /api/auth/login': {
    access: 'public',
    ok: 200,
    request: ({ agent, password }) => ({ body: { email: agent.email, password } }),
  },
  'POST /api/auth/refresh': { access: 'public', ok: 401 },
  'POST /api/auth/logout': { access: 'public', ok: 204 },
  'GET /api/auth/me': { access: 'agent', ok: 200 },

  // The agent console.
  'GET /api/tickets': { access: 'agent', ok: 200, request: () => ({ query: { status: 'unresolved' } }) },
  'GET /api/tickets/counts': { access: 'agent', ok: 200, request: () => ({}) },
  'GET /api/tickets/{id}': {
    access: 'agent',
    ok: 200,
    request: ({ customerC }) => ({ params: { id: customerC.conversationId } }),
  },
  'PATCH /api/tickets/{id}': {
    access: 'agent',
    ok: 200,
    request: ({ customerC }) => ({ params: { id: customerC.conversationId }, body: { status: 'pending' } }),
  },
  'POST /api/tickets/{id}/messages': {
    access: 'agent',
    ok: 201,
    request: ({ customerC }) => ({
      params: { id: customerC.conversationId },
      body: { body: 'It left our warehouse this morning.', clientId: randomUUID() },
    }),
  },
  'POST /api/tickets/{id}/messages/{messageId}/resend': {
    access: 'agent',
    ok: 201,
    request: ({ smsTicket }) => ({ params: { id: smsTicket.id, messageId: smsTicket.failedMessageId } }),
  },
  'POST /api/tickets/{id}/read': {
    access: 'agent',
    ok: 204,
    request: ({ customerC }) => ({ params: { id: customerC.conversationId }, body: { seq: 1 } }),
  },
  'GET /api/agents': { access: 'agent', ok: 200 },
  'PATCH /api/agents/{id}': {
    access: 'admin',
    ok: 200,
    request: ({ colleague }) => ({ params: { id: colleague.id }, body: { disabled: false } }),
  },
  'GET /api/agents/me/availability': { access: 'agent', ok: 200 },
  'PATCH /api/agents/me/availability': {
    access: 'agent',
    ok: 200,
    request: () => ({ body: { onDuty: false } }),
  },
  'POST /api/agents/me/mobile': {
    access: 'agent',
    ok: 200,
    request: () => ({
      body: { mobile: `+4477009${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}` },
    }),
  },
  // Whether a code is waiting depends on the order the table's calls ran in (the row above sends one):
  // a code that cannot be one is refused either way, once past the guard.
  'POST /api/agents/me/mobile/confirm': {
    access: 'agent',
    ok: 400,
    request: () => ({ body: { code: 'none' } }),
  },
  'DELETE /api/agents/me/mobile': { access: 'agent', ok: 200 },
  'DELETE /api/customers/{id}/chat-links': {
    access: 'agent',
    ok: 204,
    request: ({ customerC }) => ({ params: { id: customerC.id } }),
  },

  // Vonage's webhooks: no bearer token counts; the signature, api-key or path token does.
  ...smsWebhookRows('/webhooks/inbound-sms', inbound),
  ...smsWebhookRows('/support', inbound),
  ...smsWebhookRows('/webhooks/sms-status', receipt),
  'POST /webhooks/rtc/{token}': {
    access: (deployment) => (deployment.rtcToken ? 'public' : 'unmounted'),
    ok: 200,
    request: (_cast, deployment) => ({
      params: { token: deployment.rtcToken ?? 'no-rtc-token-configured' },
      body: { id: 7, type: 'member:joined', from: 'MEM-1', conversation_id: 'CON-1', body: {} },
    }),
  },

  // Voice events: served with voice (here the sandbox's); only a Vonage-signed JWT counts, no principal has one.
  // Unsigned, anyone gets the support number's message; a bearer token must be Vonage's signature (401).
  'GET /webhooks/voice/answer': {
    access: (deployment) =>
      deployment.sandbox === 'none' ? 'unmounted' : { ...everyone(401), anonymous: 200 },
    ok: 200,
  },
  'POST /webhooks/voice/answer': {
    access: (deployment) =>
      deployment.sandbox === 'none' ? 'unmounted' : { ...everyone(401), anonymous: 200 },
    ok: 200,
    request: () => ({ body: { uuid: randomUUID(), conversation_uuid: 'CON-1', from: '447700900001' } }),
  },
  'POST /webhooks/voice/events': {
    access: (deployment) => (deployment.sandbox === 'none' ? 'unmounted' : 'public'),
    ok: 401,
    request: () => ({ body: { uuid: randomUUID(), status: 'started' } }),
  },
  'POST /webhooks/voice/calls/{callId}/events': {
    access: (deployment) => (deployment.sandbox === 'none' ? 'unmounted' : 'public'),
    ok: 401,
    request: () => ({ params: { callId: '1' }, body: { uuid: randomUUID(), status: 'ringing' } }),
  },

  // Operations and the public pages.
  'GET /health': { access: 'public', ok: 200 },
  'GET /health/live': { access: 'public', ok: 200 },
  'GET /health/ready': { access: 'public', ok: 200 },
  'GET /metrics': {
    // Open outside production; in production only with METRICS_TOKEN, which no principal holds.
    access: (deployment) =>
      !deployment.production ? 'public' : deployment.metricsToken ? everyone(401) : 'hidden',
    ok: 200,
  },
  'GET /api/site': { access: 'public', ok: 200 },

  // The sandbox tools: open outside production, agents only in production, none with real providers.
  'GET /api/sandbox/emails': { access: sandboxTool, ok: 200 },
  'GET /api/sandbox/phones/{number}/messages': {
    access: sandboxTool,
    ok: 200,
    request: ({ smsTicket }) => ({ params: { number: smsTicket.phone } }),
  },
  'GET /api/sandbox/phones/{number}/calls': {
    access: sandboxTool,
    ok: 200,
    request: ({ smsTicket }) => ({ params: { number: smsTicket.phone } }),
  },
  // Nothing rings here: 409 for whoever may press the buttons.
  ...Object.fromEntries(
    ['answer', 'decline', 'hang-up'].map((button) => [
      `POST /api/sandbox/calls/{id}/${button}`,
      { access: sandboxTool, ok: 409, request: () => ({ params: { id: randomUUID() } }) } satisfies RouteRow,
    ]),
  ),
  'POST /api/sandbox/sign-webhook': {
    access: sandboxTool,
    ok: 200,
    request: () => ({ body: { params: inboundSms() } }),
  },
  // Production never serves the integration token, not even to agents.
  'GET /api/sandbox/integration-token': {
    access: (deployment) => (deployment.sandbox === 'open' ? 'public' : 'unmounted'),
    ok: 200,
  },
};

/** The same status for every principal. */
function everyone(status: number): Record<PrincipalName, number> {
  return {
    anonymous: status,
    customerA: status,
    customerB: status,
    agent: status,
    admin: status,
    integration: status,
    expired: status,
    foreignSecret: status,
  };
}

const WITHOUT_ACCESS_TOKEN: PrincipalName[] = ['anonymous', 'integration', 'expired', 'foreignSecret'];

/** What `principal` gets from a route (or a socket event: 401 is a refused handshake) in `deployment`. */
export function expectedStatus(
  row: Pick<RouteRow, 'access' | 'ok'>,
  deployment: Deployment,
  principal: PrincipalName,
): number {
  const access = typeof row.access === 'function' ? row.access(deployment) : row.access;
  if (typeof access === 'object') return access[principal] ?? row.ok;
  switch (access) {
    case 'public':
      return row.ok;
    case 'hidden':
    case 'unmounted':
      return 404;
    case 'integration':
      return principal === 'integration' ? row.ok : 401;
    default:
      if (WITHOUT_ACCESS_TOKEN.includes(principal)) return 401;
      if (principal === 'agent' || principal === 'admin') {
        return access === 'admin' && principal === 'agent' ? 403 : row.ok;
      }
      return access === 'conversation' && principal === 'customerA' ? row.ok : 403;
  }
}

/** Whether the route is in the document and mounted in `deployment`. */
export function isMounted(row: RouteRow, deployment: Deployment): boolean {
  return (typeof row.access === 'function' ? row.access(deployment) : row.access) !== 'unmounted';
}

/** Who the row lets in, to reach the route's validation (undefined: nobody here). */
export function admittedPrincipal(row: RouteRow, deployment: Deployment): PrincipalName | undefined {
  const order: PrincipalName[] = ['anonymous', 'integration', 'customerA', 'agent', 'admin'];
  return order.find((principal) => {
    const status = expectedStatus(row, deployment, principal);
    return status !== 401 && status !== 403 && status !== 404;
  });
}

export interface SocketEventRow {
  access: AccessRule;
  payload: (cast: Cast) => unknown;
}

/**
 * Every client → server socket event. Only a valid access token opens a socket (else the handshake
 * fails with `unauthorized`, shown as 401); 403 is an acknowledgement `{ ok: false }` with
 * `auth/forbidden`; 200 an `{ ok: true }` one.
 */
export const SOCKET_EVENT_ACCESS: Record<string, SocketEventRow> = {
  [ChatEvent.Join]: {
    access: 'conversation',
    payload: ({ customerA }) => ({ conversationId: customerA.conversationId, afterSeq: 0 }),
  },
  [ChatEvent.Send]: {
    access: 'conversation',
    payload: ({ customerA }) => ({
      conversationId: customerA.conversationId,
      clientId: randomUUID(),
      body: 'Sent over the socket',
    }),
  },
  [ChatEvent.Typing]: {
    access: 'conversation',
    payload: ({ customerA }) => ({ conversationId: customerA.conversationId, typing: true }),
  },
  [ChatEvent.Read]: {
    access: 'conversation',
    payload: ({ customerA }) => ({ conversationId: customerA.conversationId, seq: 1 }),
  },
  // Customer A's fresh token: only customer A's own socket may take it.
  [ChatEvent.View]: {
    access: {
      anonymous: 401,
      integration: 401,
      expired: 401,
      foreignSecret: 401,
      customerA: 403,
      customerB: 403,
      agent: 200,
      admin: 200,
    },
    payload: ({ customerA }) => ({ ticketId: customerA.conversationId }),
  },
  [ChatEvent.RenewSession]: {
    access: {
      anonymous: 401,
      integration: 401,
      expired: 401,
      foreignSecret: 401,
      customerA: 200,
      customerB: 403,
      agent: 403,
      admin: 403,
    },
    payload: ({ customerA }) => ({ token: customerA.accessToken }),
  },
};
