import { aCustomerWithAnOrder } from '../support/chat-clients';
import { startTestApp, type TestApp } from '../support/test-app';

const EMAIL = 'ada@switchboard.example';
const PASSWORD = 'correct horse battery';

describe('Agent sign-in', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { AGENT_EMAIL: EMAIL, AGENT_PASSWORD: PASSWORD } });
  });

  afterAll(async () => {
    await sut.close();
  });

  const post = (path: string, body?: unknown, cookie?: string) =>
    fetch(`${sut.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': '203.0.113.7',
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body ?? {}),
    });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';

  it('signs the demo agent in: an access token in the body, the refresh token in an httpOnly cookie', async () => {
    const response = await post('/api/auth/login', { email: 'ADA@switchboard.example', password: PASSWORD });

    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string; agent: unknown };
    expect(body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      agent: { id: expect.any(String), email: EMAIL, name: 'Demo Agent', role: 'admin', disabled: false },
    });
    expect(JSON.stringify(body)).not.toContain('refresh');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^sb_refresh=[\w-]{40,}; Max-Age=1209600; Path=\/api\/auth; HttpOnly; SameSite=Strict$/,
    );
    const me = await fetch(`${sut.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    await expect(me.json()).resolves.toMatchObject({ email: EMAIL, role: 'admin' });
  });

  it('says the same thing for a wrong password and an unknown email', async () => {
    const wrongPassword = await post('/api/auth/login', { email: EMAIL, password: 'not the password' });
    const unknownEmail = await post('/api/auth/login', {
      email: 'nobody@switchboard.example',
      password: PASSWORD,
    });

    expect([wrongPassword.status, unknownEmail.status]).toEqual([401, 401]);
    const [a, b] = [await wrongPassword.json(), await unknownEmail.json()];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ message: 'Wrong email or password' });
  });

  it('refreshes by rotating the cookie, so an old refresh token stops working, and logs out', async () => {
    const login = await post('/api/auth/login', { email: EMAIL, password: PASSWORD });
    const first = cookieOf(login);

    const refreshed = await post('/api/auth/refresh', undefined, first);
    const second = cookieOf(refreshed);
    const replayed = await post('/api/auth/refresh', undefined, first);

    expect(refreshed.status).toBe(200);
    await expect(refreshed.json()).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect(second).not.toBe(first);
    expect(replayed.status).toBe(401);

    const logout = await post('/api/auth/logout', undefined, second);
    expect(logout.status).toBe(204);
    expect((await post('/api/auth/refresh', undefined, second)).status).toBe(401);
  });

  it('lets only agents use agent routes: none → 401, a customer → 403', async () => {
    const customer = await aCustomerWithAnOrder(sut);

    const anonymous = await fetch(`${sut.baseUrl}/api/auth/me`);
    const asCustomer = await fetch(`${sut.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${customer.accessToken}` },
    });

    expect([anonymous.status, asCustomer.status]).toEqual([401, 403]);
  });

  it('limits sign-in attempts per address', async () => {
    // An instance of its own, so the attempts above do not count.
    const app = await startTestApp({ env: { AGENT_EMAIL: EMAIL, AGENT_PASSWORD: PASSWORD } });
    const attempts = [];
    for (let i = 0; i < 7; i++) {
      attempts.push(
        (
          await fetch(`${app.baseUrl}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: EMAIL, password: `guess ${i}` }),
          })
        ).status,
      );
    }

    await app.close();

    expect(attempts.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attempts.slice(5)).toEqual([429, 429]);
  });
});
