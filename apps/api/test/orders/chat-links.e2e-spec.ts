import { JwtService } from '@nestjs/jwt';
import { aUsername, integrationApi } from '../support/integration-api';
import { startTestApp, type TestApp } from '../support/test-app';

const JWT_SECRET = 'a-signing-secret-for-tests-of-32-chars-or-more';

describe('Chat links', () => {
  let sut: TestApp;
  let link: URL;
  let conversationId: string;

  beforeAll(async () => {
    sut = await startTestApp({ env: { JWT_SECRET } });
    const api = integrationApi(sut);
    const username = aUsername();
    ({ conversationId } = (await (
      await api.post('/api/users', { username, name: 'Ada', email: 'ada@example.com' })
    ).json()) as { conversationId: string });
    const { chatUrl } = (await (await api.post('/order', { username })).json()) as { chatUrl: string };
    link = new URL(chatUrl);
  });

  afterAll(async () => {
    await sut.close();
  });

  const session = (body: Record<string, string>) =>
    fetch(`${sut.baseUrl}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('trades the link for a short-lived session for that customer and conversation', async () => {
    const response = await session({ conversationId, token: link.searchParams.get('token')! });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string };
    expect(body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      conversationId,
      customer: { id: expect.any(String), name: 'Ada' },
      transport: 'socket',
    });
    const claims = new JwtService().verify<{ typ: string; conv: string; exp: number; iat: number }>(
      body.accessToken,
      {
        secret: JWT_SECRET,
      },
    );
    expect(claims).toMatchObject({ typ: 'chat-session', conv: conversationId });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('refuses a tampered token with 401 chat/link_invalid', async () => {
    const [header, payload, signature] = link.searchParams.get('token')!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, string>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: String(Number(claims.sub) + 1) })).toString(
      'base64url',
    );

    const responses = await Promise.all([
      session({ conversationId, token: `${header}.${forged}.${signature}` }),
      session({ conversationId, token: `${link.searchParams.get('token')!}x` }),
      session({ conversationId, token: 'not-a-token' }),
    ]);

    expect(responses.map((response) => response.status)).toEqual([401, 401, 401]);
    await expect(responses[0]!.json()).resolves.toMatchObject({
      code: 'chat/link_invalid',
      message: 'This chat link is not valid',
    });
  });

  it("refuses a genuine token for somebody else's conversation", async () => {
    const other = String(Number(conversationId) + 1);

    const response = await session({ conversationId: other, token: link.searchParams.get('token')! });

    expect(response.status).toBe(401);
    await expect(response.json()).resolves.toMatchObject({ code: 'chat/link_invalid' });
  });

  it('refuses an expired link with 401 chat/link_expired, saying when it expired', async () => {
    const customerId = new JwtService().decode<{ sub: string }>(link.searchParams.get('token')!).sub;
    const expired = new JwtService().sign(
      {
        typ: 'chat-link',
        sub: customerId,
        conv: conversationId,
        iat: Math.floor(Date.now() / 1000) - 31 * 86400,
      },
      { secret: JWT_SECRET, expiresIn: 30 * 86400 },
    );

    const response = await session({ conversationId, token: expired });

    expect(response.status).toBe(401);
    await expect(response.json()).resolves.toMatchObject({
      code: 'chat/link_expired',
      message: expect.stringMatching(/^This chat link expired on \d{4}-\d\d-\d\d$/),
    });
  });

  it('refuses a session token in place of a link token', async () => {
    const { accessToken } = (await (
      await session({ conversationId, token: link.searchParams.get('token')! })
    ).json()) as {
      accessToken: string;
    };

    const response = await session({ conversationId, token: accessToken });

    expect(response.status).toBe(401);
  });

  it('answers a malformed request with 400 naming the field', async () => {
    const response = await session({ conversationId: 'abc', token: '' } as Record<string, string>);

    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toMatchObject({ errors: [{ field: 'conversationId' }] });
  });

  it('limits sessions per address, answering 429 once too many were asked for', async () => {
    const app = await startTestApp({ env: { JWT_SECRET } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 122; i++) {
        const response = await fetch(`${app.baseUrl}/api/chat/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ conversationId: '1', token: 'guess' }),
        });
        statuses.push(response.status);
      }

      expect(statuses.slice(0, 120).every((status) => status === 401)).toBe(true);
      expect(statuses.slice(120)).toEqual([429, 429]);
    } finally {
      await app.close();
    }
  });
});
