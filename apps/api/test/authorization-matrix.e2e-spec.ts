import type { OpenAPIObject } from '@nestjs/swagger';
import { type ChatAck, ErrorCode } from '@switchboard/contracts';
import { io } from 'socket.io-client';
import {
  DEVELOPMENT,
  type Deployment,
  PRODUCTION_PROVIDERS,
  PRODUCTION_SANDBOX,
  type RunningDeployment,
  startDeployment,
} from './support/deployments';
import {
  aClientAddress,
  anAgentSignedIn,
  aShopCustomer,
  type Cast,
  castFor,
  PRINCIPALS,
  type PrincipalName,
} from './support/principals';
import {
  expectedStatus,
  isMounted,
  ROUTE_ACCESS,
  SOCKET_EVENT_ACCESS,
  type ValidRequest,
} from './support/route-access';
import { callRoute, errorShapeProblem, inParallel } from './support/route-requests';
import { mountedRoutes, openApiDocument, operations, socketEvents } from './support/served-routes';

/**
 * The authorisation matrix: every route the app serves and every socket event, tried as every
 * principal in three deployments, against the one access table (support/route-access.ts). A route or
 * event without a row fails, and so does a row for one that is served nowhere.
 */
const DEPLOYMENTS = [DEVELOPMENT, PRODUCTION_SANDBOX, PRODUCTION_PROVIDERS];

type Matrix = Record<string, Partial<Record<PrincipalName, number | string>>>;

it('has no row for a route that no deployment serves', () => {
  for (const [route, row] of Object.entries(ROUTE_ACCESS)) {
    expect([route, DEPLOYMENTS.some((deployment) => isMounted(row, deployment))]).toEqual([route, true]);
  }
});

describe.each(DEPLOYMENTS)('Who may call what: $name', (deployment: Deployment) => {
  let running: RunningDeployment;
  let cast: Cast;
  let document: OpenAPIObject;

  beforeAll(async () => {
    running = await startDeployment(deployment);
    [cast, document] = await Promise.all([castFor(running), openApiDocument(running.sut.baseUrl)]);
  });

  afterAll(async () => {
    await running?.close();
  });

  it('has exactly one row for every route the app documents and mounts here', () => {
    const documented = operations(document)
      .map(([route]) => route)
      .sort();
    const expected = Object.entries(ROUTE_ACCESS)
      .filter(([, row]) => isMounted(row, deployment))
      .map(([route]) => route)
      .sort();

    expect(documented).toEqual(expected);
    expect(mountedRoutes(running.sut.app).sort()).toEqual(expected);
    const fastify = running.sut.app.getHttpAdapter().getInstance();
    for (const route of expected) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      expect([route, fastify.hasRoute({ method, url })]).toEqual([route, true]);
    }
  });

  it('answers every route as the table says, for every principal', async () => {
    const calls = Object.entries(ROUTE_ACCESS).flatMap(([route, row]) =>
      PRINCIPALS.map((principal) => ({ route, row, principal })),
    );
    const expected: Matrix = {};
    const actual: Matrix = {};
    const malformed: string[] = [];
    await inParallel(calls, 12, async ({ route, row, principal }) => {
      const request: ValidRequest = row.request?.(cast, deployment) ?? {};
      const call = await callRoute(running.sut.baseUrl, route, request, cast.bearer[principal]);
      (expected[route] ??= {})[principal] = expectedStatus(row, deployment, principal);
      (actual[route] ??= {})[principal] = call.status;
      const problem = errorShapeProblem(call);
      if (problem) malformed.push(`${route} as ${principal}: ${call.status} ${problem}`);
    });

    expect(actual).toEqual(expected);
    expect(malformed).toEqual([]);
  });

  it('takes access away where a route says it does: signing out, disabling an agent, withdrawing chat links', async () => {
    const { sut } = running;
    const [agent, customer] = await Promise.all([anAgentSignedIn(running), aShopCustomer(running)]);
    const me = (token: string) => callRoute(sut.baseUrl, 'GET /api/auth/me', {}, token);
    const conversation = (token: string) =>
      callRoute(
        sut.baseUrl,
        'GET /api/chat/conversations/{id}',
        { params: { id: customer.conversationId } },
        token,
      );
    expect([(await me(agent.accessToken)).status, (await conversation(customer.accessToken)).status]).toEqual(
      [200, 200],
    );

    const signedOut = await fetch(`${sut.baseUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: agent.cookie, 'x-forwarded-for': aClientAddress() },
    });
    const withdrawn = await callRoute(
      sut.baseUrl,
      'DELETE /api/customers/{id}/chat-links',
      { params: { id: customer.id } },
      cast.agent.accessToken,
    );

    expect([signedOut.status, withdrawn.status]).toEqual([204, 204]);
    expect([(await me(agent.accessToken)).status, (await conversation(customer.accessToken)).status]).toEqual(
      [401, 401],
    );
    const reopened = await callRoute(sut.baseUrl, 'POST /api/chat/session', {
      body: { conversationId: customer.conversationId, token: customer.linkToken },
    });
    expect(reopened.body).toMatchObject({ code: ErrorCode.ChatLinkRevoked });

    const colleague = await anAgentSignedIn(running);
    const disable = (id: string) =>
      callRoute(
        sut.baseUrl,
        'PATCH /api/agents/{id}',
        { params: { id }, body: { disabled: true } },
        cast.bearer.admin,
      );
    const disabled = await disable(colleague.id);
    expect([disabled.status, disabled.body]).toEqual([
      200,
      expect.objectContaining({ id: colleague.id, disabled: true }),
    ]);
    expect((await me(colleague.accessToken)).status).toBe(401);
    const nobody = await disable(`${colleague.id}999`);
    expect([nobody.status, nobody.body]).toEqual([
      404,
      expect.objectContaining({ code: ErrorCode.AgentNotFound }),
    ]);
  });

  it('opens a socket for an access token only, and lets each event through as the table says', async () => {
    const expected: Matrix = {};
    const actual: Matrix = {};
    await Promise.all(
      PRINCIPALS.map(async (principal) => {
        const connected = await connect(running.sut.baseUrl, cast.bearer[principal]);
        try {
          for (const [event, row] of Object.entries(SOCKET_EVENT_ACCESS)) {
            (expected[event] ??= {})[principal] = expectedStatus({ ...row, ok: 200 }, deployment, principal);
            (actual[event] ??= {})[principal] =
              'refused' in connected ? 401 : statusOf(await connected.request(event, row.payload(cast)));
          }
        } finally {
          if ('socket' in connected) connected.socket.disconnect();
        }
        if ('refused' in connected)
          expect([principal, connected.refused]).toEqual([principal, 'unauthorized']);
      }),
    );

    expect(actual).toEqual(expected);
    expect(Object.keys(SOCKET_EVENT_ACCESS).sort()).toEqual(socketEvents(running.sut.app).sort());
  });
});

type Connected =
  | { refused: string }
  | {
      socket: ReturnType<typeof io>;
      request: (event: string, payload: unknown) => Promise<ChatAck<unknown>>;
    };

async function connect(baseUrl: string, token: string | undefined): Promise<Connected> {
  const socket = io(baseUrl, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
  });
  return new Promise((resolve) => {
    socket.once('connect', () =>
      resolve({
        socket,
        request: (event, payload) =>
          socket.timeout(10_000).emitWithAck(event, payload) as Promise<ChatAck<unknown>>,
      }),
    );
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ refused: error.message });
    });
  });
}

/** An acknowledgement as the HTTP status it stands for. */
function statusOf(ack: ChatAck<unknown>): number | string {
  if (ack.ok) return 200;
  if (ack.error.code === ErrorCode.Forbidden) return 403;
  if (ack.error.code === ErrorCode.Unauthorized) return 401;
  return ack.error.code;
}
