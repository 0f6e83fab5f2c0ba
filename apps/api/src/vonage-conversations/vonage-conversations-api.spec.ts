import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import {
  startVonageConversationsEmulator,
  type VonageConversationsEmulator,
} from '../../test/support/vonage-conversations-emulator';
import { ConversationsApiError } from './conversations-api';
import { VonageConversationsApi } from './vonage-conversations-api';

async function providerError(promise: Promise<unknown>): Promise<ConversationsApiError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof ConversationsApiError))
    throw new Error(`expected a provider error, got ${String(error)}`);
  return error;
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

describe(VonageConversationsApi.name, () => {
  let emulator: VonageConversationsEmulator;
  let sut: VonageConversationsApi;

  beforeAll(async () => {
    emulator = await startVonageConversationsEmulator();
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.reset();
    sut = new VonageConversationsApi({
      applicationId: emulator.applicationId,
      privateKey: emulator.privateKey,
      apiHost: emulator.url,
      timeoutMs: 500,
    });
  });

  async function aConversationWith(...userNames: string[]) {
    const conversationId = await sut.createConversation({ displayName: 'Order support', reference: '7' });
    const members: string[] = [];
    for (const name of userNames) {
      members.push(await sut.join(conversationId, await sut.ensureUser({ name, displayName: name })));
    }
    return { conversationId, members };
  }

  describe('ensureUser', () => {
    it('creates the user with a JSON POST /v1/users, signed with an RS256 JWT of our application', async () => {
      const id = await sut.ensureUser({ name: 'switchboard-customer-1', displayName: 'Ada Lovelace' });

      expect(id).toMatch(/^USR-/);
      const [call] = emulator.calls;
      expect(call).toMatchObject({
        method: 'POST',
        path: '/v1/users',
        body: { name: 'switchboard-customer-1', display_name: 'Ada Lovelace' },
      });
      const jwt = /^Bearer (.+)$/.exec(String(call!.headers.authorization))![1]!;
      expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString())).toMatchObject({
        alg: 'RS256',
      });
      expect(claimsOf(jwt)).toMatchObject({ application_id: emulator.applicationId });
    });

    it('finds the user an earlier attempt created when the name is taken', async () => {
      const first = await sut.ensureUser({ name: 'switchboard-customer-2', displayName: 'Grace' });

      await expect(sut.ensureUser({ name: 'switchboard-customer-2', displayName: 'Grace' })).resolves.toBe(
        first,
      );
      expect(emulator.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
        'POST /v1/users',
        'POST /v1/users',
        'GET /v1/users',
      ]);
      expect(emulator.calls[2]!.query).toEqual({ name: 'switchboard-customer-2' });
    });
  });

  describe('createConversation and join', () => {
    it('creates a conversation carrying our reference, and joins a user as an app member', async () => {
      const userId = await sut.ensureUser({ name: 'switchboard-customer-3', displayName: 'Alan' });

      const conversationId = await sut.createConversation({
        displayName: 'Order support: Alan',
        reference: '42',
      });
      const memberId = await sut.join(conversationId, userId);

      expect(conversationId).toMatch(/^CON-/);
      expect(memberId).toMatch(/^MEM-/);
      expect(emulator.calls[1]!.body).toEqual({
        display_name: 'Order support: Alan',
        properties: { custom_data: { switchboard_conversation_id: '42' } },
      });
      expect(emulator.calls[2]).toMatchObject({
        path: `/v1/conversations/${conversationId}/members`,
        body: { state: 'joined', user: { id: userId }, channel: { type: 'app' } },
      });
    });

    it('returns the existing member of a user who joined already', async () => {
      const {
        conversationId,
        members: [memberId],
      } = await aConversationWith('switchboard-customer-4');
      const userId = emulator.conversations.get(conversationId)!.members.get(memberId!)!;

      await expect(sut.join(conversationId, userId)).resolves.toBe(memberId);
    });
  });

  describe('postEvent', () => {
    it('posts a custom event with its snake_case body as it is, nested keys untouched', async () => {
      const {
        conversationId,
        members: [desk],
      } = await aConversationWith('switchboard-desk-5');
      const body = {
        order_id: '311',
        items: [{ name: 'Widget', quantity: 2, unit_price: 499 }],
        total: 998,
        currency: 'EUR',
        text: '2 × Widget (€4.99) — total €9.98',
      };

      const eventId = await sut.postEvent(conversationId, {
        type: 'custom:order-confirm-event',
        from: desk!,
        body,
      });

      expect(eventId).toBe('1');
      expect(emulator.calls.at(-1)).toMatchObject({
        method: 'POST',
        path: `/v1/conversations/${conversationId}/events`,
        body: { type: 'custom:order-confirm-event', from: desk, body },
      });
    });

    it('posts a text message event', async () => {
      const {
        conversationId,
        members: [desk],
      } = await aConversationWith('switchboard-desk-6');

      await sut.postEvent(conversationId, {
        type: 'message',
        from: desk!,
        body: { message_type: 'text', text: 'Your parcel left today' },
      });

      expect(emulator.conversations.get(conversationId)!.events[0]).toMatchObject({
        type: 'message',
        body: { message_type: 'text', text: 'Your parcel left today' },
      });
    });

    it('refuses for good, with Vonage’s code, an event from someone who is not a member', async () => {
      const { conversationId } = await aConversationWith();

      const error = await providerError(
        sut.postEvent(conversationId, { type: 'message', from: 'MEM-nobody', body: { text: 'x' } }),
      );

      expect(error).toMatchObject({ retryable: false, providerCode: 'event:error:not-joined' });
      expect(error.message).toContain('HTTP 403 event:error:not-joined');
    });
  });

  describe('failures', () => {
    it.each([500, 503, 429])('HTTP %i: retryable', async (status) => {
      emulator.failNext(/POST \/v1\/conversations$/, { status });
      await expect(sut.createConversation({ displayName: 'x', reference: '1' })).rejects.toMatchObject({
        name: 'ConversationsApiError',
        retryable: true,
      });
    });

    it('no answer within the timeout: retryable', async () => {
      emulator.failNext(/POST \/v1\/users$/, { hang: true });
      await expect(
        sut.ensureUser({ name: 'switchboard-customer-9', displayName: 'x' }),
      ).rejects.toMatchObject({
        retryable: true,
        providerCode: 'timeout',
      });
    });

    it('a key Vonage does not know: permanent, and the token never appears in the error', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      sut = new VonageConversationsApi({
        applicationId: emulator.applicationId,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        apiHost: emulator.url,
      });

      const error = await providerError(
        sut.ensureUser({ name: 'switchboard-customer-10', displayName: 'x' }),
      );

      expect(error).toMatchObject({ retryable: false, providerCode: 'system:error:invalid-token' });
      const jwt = String(emulator.calls[0]!.headers.authorization).replace('Bearer ', '');
      expect(error.message).not.toContain(jwt);
      expect(JSON.stringify(error)).not.toContain(jwt);
    });

    it('an unreachable host: retryable network error', async () => {
      sut = new VonageConversationsApi({
        applicationId: emulator.applicationId,
        privateKey: emulator.privateKey,
        apiHost: 'http://127.0.0.1:9',
      });
      await expect(sut.createConversation({ displayName: 'x', reference: '1' })).rejects.toMatchObject({
        retryable: true,
        providerCode: expect.stringMatching(/^network/),
      });
    });
  });

  describe('clientToken', () => {
    it('is an RS256 token for the user, narrowed to their conversation, valid at most an hour', () => {
      const { token, expiresIn } = sut.clientToken(
        { id: 'USR-1', name: 'switchboard-customer-1' },
        'CON-1',
        7200,
      );

      const [header, claims, signature] = token.split('.');
      const signed = verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        createPublicKey(emulator.privateKey),
        Buffer.from(signature!, 'base64url'),
      );
      expect(signed).toBe(true);
      const payload = claimsOf(token);
      expect(expiresIn).toBe(3600);
      expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
      expect(payload).toMatchObject({
        application_id: emulator.applicationId,
        sub: 'switchboard-customer-1',
        acl: {
          paths: {
            '/*/sessions/**': {},
            '/*/users/USR-1': { methods: ['GET'] },
            '/*/conversations/CON-1': { methods: ['GET'] },
            '/*/conversations/CON-1/members/**': { methods: ['GET'] },
            '/*/conversations/CON-1/events': { methods: ['GET', 'POST'] },
          },
        },
      });
      expect(Object.keys((payload.acl as { paths: object }).paths)).toHaveLength(5);
      // Within the conversation, nothing that deletes events or changes members.
      const paths = Object.entries((payload.acl as { paths: Record<string, { methods?: string[] }> }).paths);
      for (const [path, rule] of paths.filter(([path]) => path.includes('/conversations/'))) {
        expect([path, rule.methods?.every((method) => ['GET', 'POST'].includes(method))]).toEqual([
          path,
          true,
        ]);
      }
    });

    it('keeps a shorter lifetime as asked', () => {
      const { token, expiresIn } = sut.clientToken({ id: 'USR-1', name: 'u' }, 'CON-1', 900);
      const payload = claimsOf(token);
      expect(expiresIn).toBe(900);
      expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
    });
  });
});
