import { JwtService } from '@nestjs/jwt';
import { ChatEvent } from '@switchboard/contracts';
import type { Socket } from 'socket.io-client';
import { AccessTokens } from '../../src/auth/access-tokens';
import { aSignedInAgent, signIn } from '../support/agents';
import { aCustomerWithAnOrder, ChatClient } from '../support/chat-clients';
import { integrationApi } from '../support/integration-api';
import { startTestApp, type TestApp } from '../support/test-app';

const JWT_SECRET = 'sessions-end-test-secret-0123456789abcdef';

/** Resolves with how the server ended the socket: the `session:ended` reason and the disconnect's. */
function closed(client: ChatClient): Promise<{ ended: unknown; disconnect: string; afterMs: number }> {
  const started = Date.now();
  const socket: Socket = client.socket;
  return new Promise((resolve) => {
    let ended: unknown;
    socket.on(ChatEvent.SessionEnded, (payload: unknown) => (ended = payload));
    socket.once('disconnect', (reason) =>
      resolve({ ended, disconnect: reason, afterMs: Date.now() - started }),
    );
  });
}

/** Two instances on one database: what one revokes, the other's sockets and tokens learn. */
describe('Sessions that end', () => {
  let one: TestApp;
  let two: TestApp;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    // Each sign-in comes from an address of its own (test/support/agents.ts), as the proxy tells.
    const env = { JWT_SECRET, TRUST_PROXY: 'loopback' };
    one = await startTestApp({ env });
    two = await startTestApp({ env, db: one.db });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await two.close();
    await one.close();
  });

  const call = (
    app: TestApp,
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    cookie?: string,
  ) =>
    fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const connect = async (app: TestApp, token: string) => {
    const client = await ChatClient.connect(app.baseUrl, token);
    clients.push(client);
    return client;
  };

  describe('an access token that expires', () => {
    const shortLived = (agentId: string, seconds: number) =>
      new JwtService().sign(
        { typ: 'agent-access', sub: agentId, role: 'agent', name: 'Grace', sid: crypto.randomUUID() },
        { secret: JWT_SECRET, expiresIn: seconds },
      );

    it('closes its socket when it expires, saying so', async () => {
      const agent = await aSignedInAgent(one);
      const client = await connect(one, shortLived(agent.id, 2));

      const end = await closed(client);

      expect(end.ended).toEqual({ reason: 'expired' });
      expect(end.disconnect).toBe('io server disconnect');
      expect(end.afterMs).toBeGreaterThan(500);
      expect(end.afterMs).toBeLessThan(3500);
    });

    it('keeps the socket open when the client renews in time, with a token of the same agent only', async () => {
      const agent = await aSignedInAgent(one);
      const other = await aSignedInAgent(one, 'agent', 'Ada Lovelace');
      const client = await connect(one, shortLived(agent.id, 2));
      const ending = closed(client);

      await expect(client.request(ChatEvent.RenewSession, { token: other.accessToken })).resolves.toEqual({
        ok: false,
        error: { code: 'auth/forbidden', message: expect.stringMatching(/belongs to someone else/) },
      });
      await expect(client.request(ChatEvent.RenewSession, { token: 'not-a-token' })).resolves.toMatchObject({
        ok: false,
        error: { code: 'auth/unauthorized' },
      });
      const renewed = await client.request<{ expiresAt: string }>(ChatEvent.RenewSession, {
        token: agent.accessToken,
      });
      expect(renewed).toEqual({ ok: true, data: { expiresAt: expect.any(String) } });
      expect(Date.parse((renewed as { data: { expiresAt: string } }).data.expiresAt)).toBeGreaterThan(
        Date.now() + 10 * 60_000,
      );

      // Past the first token's expiry, still connected and working.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(client.socket.connected).toBe(true);
      await expect(
        client.request(ChatEvent.Typing, { conversationId: '1', typing: true }),
      ).resolves.toMatchObject({
        ok: false, // no such conversation: the point is that the socket still answers
      });
      client.close();
      await ending;
    });

    it('is refused at the handshake once expired, and so is a token signed with another secret', async () => {
      const agent = await aSignedInAgent(one);
      const expired = new JwtService().sign(
        {
          typ: 'agent-access',
          sub: agent.id,
          role: 'agent',
          name: 'Grace',
          sid: crypto.randomUUID(),
          exp: 1,
        },
        { secret: JWT_SECRET },
      );
      const forged = new JwtService().sign(
        { typ: 'agent-access', sub: agent.id, role: 'agent', name: 'Grace', sid: crypto.randomUUID() },
        { secret: 'another-secret-another-secret-another', expiresIn: 900 },
      );
      for (const token of [expired, forged]) {
        await expect(ChatClient.connect(one.baseUrl, token)).rejects.toThrow('unauthorized');
        expect((await call(one, 'GET', '/api/tickets', token)).status).toBe(401);
      }
    });
  });

  it('signing out ends that sign-in on every instance within 5 s: socket, access token, refresh cookie', async () => {
    const agent = await aSignedInAgent(one);
    const elsewhere = await signIn(one, agent.email, agent.password); // another browser: unaffected
    const client = await connect(two, agent.accessToken);
    const other = await connect(two, elsewhere.accessToken);
    const ending = closed(client);

    expect((await call(one, 'POST', '/api/auth/logout', undefined, {}, agent.cookie)).status).toBe(204);

    const end = await ending;
    expect(end.ended).toEqual({ reason: 'revoked' });
    expect(end.afterMs).toBeLessThan(5000);
    expect((await call(two, 'GET', '/api/tickets', agent.accessToken)).status).toBe(401);
    await expect(ChatClient.connect(two.baseUrl, agent.accessToken)).rejects.toThrow('unauthorized');
    expect((await call(two, 'POST', '/api/auth/refresh', undefined, {}, agent.cookie)).status).toBe(401);
    // The agent's other sign-in goes on.
    expect(other.socket.connected).toBe(true);
    expect((await call(two, 'GET', '/api/tickets', elsewhere.accessToken)).status).toBe(200);
  });

  describe('an admin disabling an agent', () => {
    it("ends every session of the agent's on every instance within 5 s, and they cannot sign in again", async () => {
      const admin = await aSignedInAgent(one, 'admin', 'Ada Admin');
      const agent = await aSignedInAgent(one);
      const secondBrowser = await signIn(one, agent.email, agent.password);
      const sockets = [await connect(two, agent.accessToken), await connect(one, secondBrowser.accessToken)];
      const endings = sockets.map(closed);

      const response = await call(one, 'PATCH', `/api/agents/${agent.id}`, admin.accessToken, {
        disabled: true,
      });

      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toMatchObject({ id: agent.id, disabled: true });
      for (const end of await Promise.all(endings)) {
        expect(end.ended).toEqual({ reason: 'revoked' });
        expect(end.afterMs).toBeLessThan(5000);
      }
      expect((await call(two, 'GET', '/api/tickets', agent.accessToken)).status).toBe(401);
      expect((await call(two, 'POST', '/api/auth/refresh', undefined, {}, agent.cookie)).status).toBe(401);
      const login = await call(two, 'POST', '/api/auth/login', undefined, {
        email: agent.email,
        password: agent.password,
      });
      expect(login.status).toBe(401);
      await expect(login.json()).resolves.toMatchObject({ message: 'Wrong email or password' });
      // Not offered as an assignee any more.
      const [ticket] = await one.db.query<{ id: string }>(
        `INSERT INTO tickets (customer_id, channel, status)
         VALUES ((SELECT id FROM users WHERE role = 'admin' LIMIT 1), 'sms', 'open') RETURNING id::text`,
      );
      const assign = await call(one, 'PATCH', `/api/tickets/${ticket!.id}`, admin.accessToken, {
        assigneeId: agent.id,
      });
      expect(assign.status).toBe(400);
      await expect(assign.json()).resolves.toMatchObject({
        errors: [{ field: 'assigneeId', message: 'Grace Hopper is disabled' }],
      });

      // Enabled again: they sign in afresh.
      const enabled = await call(two, 'PATCH', `/api/agents/${agent.id}`, admin.accessToken, {
        disabled: false,
      });
      expect(enabled.status).toBe(200);
      await expect(signIn(two, agent.email, agent.password)).resolves.toMatchObject({
        accessToken: expect.any(String),
      });
    });

    it('is for admins only, and never themselves', async () => {
      const admin = await aSignedInAgent(one, 'admin', 'Ada Admin');
      const agent = await aSignedInAgent(one);
      const customer = await aCustomerWithAnOrder(one);

      expect(
        (await call(one, 'PATCH', `/api/agents/${admin.id}`, undefined, { disabled: true })).status,
      ).toBe(401);
      for (const token of [agent.accessToken, customer.accessToken]) {
        const refused = await call(one, 'PATCH', `/api/agents/${admin.id}`, token, { disabled: true });
        expect(refused.status).toBe(403);
      }
      const self = await call(one, 'PATCH', `/api/agents/${admin.id}`, admin.accessToken, { disabled: true });
      expect(self.status).toBe(409);
      await expect(self.json()).resolves.toMatchObject({ code: 'agent/cannot_disable_self' });
      const unknown = await call(one, 'PATCH', '/api/agents/999999', admin.accessToken, { disabled: true });
      expect(unknown.status).toBe(404);
      const invalid = await call(one, 'PATCH', `/api/agents/${agent.id}`, admin.accessToken, {
        disabled: 'yes',
      });
      expect(invalid.status).toBe(400);
      await expect(invalid.json()).resolves.toMatchObject({
        errors: [{ field: 'disabled', message: 'disabled must be true or false' }],
      });
      expect((await call(one, 'GET', '/api/tickets', admin.accessToken)).status).toBe(200);
    });
  });

  describe("withdrawing a customer's chat links", () => {
    it('closes their chat on every instance within 5 s and refuses the old link; a new order’s link works', async () => {
      const agent = await aSignedInAgent(one);
      const customer = await aCustomerWithAnOrder(one);
      const [{ customerId }] = await one.db.query<{ customerId: string }>(
        `SELECT customer_id::text AS "customerId" FROM tickets WHERE id = $1`,
        [customer.conversationId],
      );
      const chat = await connect(two, customer.accessToken);
      await chat.join(customer.conversationId);
      const ending = closed(chat);

      const response = await call(
        one,
        'DELETE',
        `/api/customers/${customerId}/chat-links`,
        agent.accessToken,
      );

      expect(response.status).toBe(204);
      const end = await ending;
      expect(end.ended).toEqual({ reason: 'revoked' });
      expect(end.afterMs).toBeLessThan(5000);
      const session = (url: string) =>
        call(two, 'POST', '/api/chat/session', undefined, {
          conversationId: customer.conversationId,
          token: new URL(url).searchParams.get('token'),
        });
      const old = await session(customer.chatUrl);
      expect(old.status).toBe(401);
      await expect(old.json()).resolves.toMatchObject({ code: 'chat/link_revoked' });
      expect(
        (await call(two, 'GET', `/api/chat/conversations/${customer.conversationId}`, customer.accessToken))
          .status,
      ).toBe(401);

      const order = await integrationApi(one).post('/order', { username: customer.username });
      const { chatUrl } = (await order.json()) as { chatUrl: string };
      const fresh = await session(chatUrl);
      expect(fresh.status).toBe(200);
      const { accessToken } = (await fresh.json()) as { accessToken: string };
      await expect(connect(one, accessToken)).resolves.toBeInstanceOf(ChatClient);
    });

    it('is for agents only, and names a customer that does not exist', async () => {
      const agent = await aSignedInAgent(one);
      const customer = await aCustomerWithAnOrder(one);
      const path = `/api/customers/1/chat-links`;
      expect((await call(one, 'DELETE', path)).status).toBe(401);
      expect((await call(one, 'DELETE', path, customer.accessToken)).status).toBe(403);
      const missing = await call(one, 'DELETE', '/api/customers/999999/chat-links', agent.accessToken);
      expect(missing.status).toBe(404);
      await expect(missing.json()).resolves.toMatchObject({ code: 'customer/not_found' });
      // An agent is not a customer whose links could be withdrawn.
      expect(
        (await call(one, 'DELETE', `/api/customers/${agent.id}/chat-links`, agent.accessToken)).status,
      ).toBe(404);
    });
  });

  it("records each sign-in with the client's address, as the trusted proxy gives it", async () => {
    const agent = await aSignedInAgent(one);
    const [session] = await one.db.query<{ ip: string; userAgent: string }>(
      `SELECT host(created_ip) AS ip, user_agent AS "userAgent" FROM agent_sessions WHERE agent_id = $1`,
      [agent.id],
    );
    expect(session!.ip).toMatch(/^198\.51\.\d+\.\d+$/);
    expect(session!.userAgent).toBe('node');
  });

  it('rate-limits typing on a socket', async () => {
    const customer = await aCustomerWithAnOrder(one);
    const client = await connect(one, customer.accessToken);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        client.request(ChatEvent.Typing, { conversationId: customer.conversationId, typing: true }),
      ),
    );

    expect(answers.filter((answer) => answer.ok)).toHaveLength(20);
    expect(answers.find((answer) => !answer.ok)).toEqual({
      ok: false,
      error: { code: 'chat/rate_limited', message: expect.stringMatching(/^Too many requests: wait \d+ s/) },
    });
    // A customer's session token is for their own conversation: the app's tokens say so.
    expect(one.app.get(AccessTokens).verify(customer.accessToken)).toMatchObject({ role: 'customer' });
  });
});
