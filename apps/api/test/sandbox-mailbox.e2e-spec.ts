import { eventually } from './support/eventually';
import { aUsername, integrationApi } from './support/integration-api';
import { startTestApp, type TestApp } from './support/test-app';

interface MailboxEmail {
  id: string;
  orderId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

describe('GET /api/sandbox/emails', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SUPPORT_COMPANY_NAME: 'Globex' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('shows the confirmations the sandbox sent, newest first, as the customer would see them', async () => {
    const api = integrationApi(sut);
    const username = aUsername();
    await api.post('/api/users', { username, name: 'Ada <Lovelace>', email: `${username}@example.com` });
    const first = (await (await api.post('/order', { username })).json()) as { id: string; chatUrl: string };
    const second = (await (await api.post('/order', { username })).json()) as { id: string; chatUrl: string };

    const mailbox = await eventually(async () => {
      const emails = (await (await fetch(`${sut.baseUrl}/api/sandbox/emails`)).json()) as MailboxEmail[];
      return emails.filter((email) => email.to === `${username}@example.com`).length === 2
        ? emails
        : undefined;
    }, 'both emails in the mailbox');

    expect(mailbox.map((email) => email.orderId).slice(0, 2)).toEqual([second.id, first.id]);
    const latest = mailbox[0]!;
    expect(latest.subject).toBe(`Your Globex order ${second.id}`);
    expect(latest.html).toContain(`href="${second.chatUrl.replaceAll('&', '&amp;')}"`);
    expect(latest.html).toContain('Ada &lt;Lovelace&gt;');
    expect(latest.html).not.toContain('<Lovelace>');
    expect(latest.text).toContain(second.chatUrl);
  });

  it('does not exist when Brevo is configured', async () => {
    const app = await startTestApp({
      env: {
        SENDINBLUE_API_KEY: 'xkeysib-x',
        SENDINBLUE_TEMPLATE_ID: '1',
        SENDINBLUE_FROM_EMAIL: 'a@example.com',
      },
    });
    try {
      expect((await fetch(`${app.baseUrl}/api/sandbox/emails`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
