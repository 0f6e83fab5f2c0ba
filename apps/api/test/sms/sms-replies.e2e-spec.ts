import { SmsRepliesService } from '../../src/sms/outbound/sms-replies.service';
import { eventually } from '../support/eventually';
import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';

describe(SmsRepliesService.name, () => {
  let app: TestApp;
  let sut: SmsRepliesService;
  let agentId: string;

  beforeAll(async () => {
    app = await startTestApp();
    sut = app.app.get(SmsRepliesService);
    [{ id: agentId }] = (await app.db.query(
      `INSERT INTO users (role, name, email) VALUES ('agent', 'Ada', 'ada@example.com') RETURNING id`,
    )) as [{ id: string }];
  });

  afterAll(async () => {
    await app.close();
  });

  async function ticketFor(phone: string): Promise<string> {
    await deliver(
      app.baseUrl,
      '/webhooks/inbound-sms',
      inboundSms({ msisdn: phone, text: 'Help with my order' }),
    );
    const [ticket] = await app.db.query<{ id: string }>(
      `SELECT t.id FROM tickets t JOIN users u ON u.id = t.customer_id WHERE u.phone = $1`,
      [`+${phone}`],
    );
    return ticket!.id;
  }

  const ada = () => ({ agentId, name: 'Ada' });

  const message = (id: string) =>
    app.db
      .query<{ status: string; author_id: string; body: string; error: string | null }>(
        'SELECT status, author_id, body, error FROM messages WHERE id = $1',
        [id],
      )
      .then((rows) => rows[0]);

  it("queues the agent's reply and the customer's phone gets it, delivered", async () => {
    const ticketId = await ticketFor(aPhoneNumber());

    const { id: messageId } = await sut.reply(ticketId, ada(), '  Your parcel leaves today.  ');

    await expect(message(messageId)).resolves.toMatchObject({
      author_id: agentId,
      body: 'Your parcel leaves today.',
    });
    await expect(
      eventually(
        async () => ((await message(messageId))?.status === 'delivered' ? true : undefined),
        'delivery',
      ),
    ).resolves.toBe(true);
  });

  it('refuses a reply to a customer who texted STOP, with the reason, and stores nothing', async () => {
    const phone = aPhoneNumber();
    const ticketId = await ticketFor(phone);
    await deliver(app.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'STOP' }));
    const before = await app.db.query('SELECT id FROM messages WHERE ticket_id = $1', [ticketId]);

    await expect(sut.reply(ticketId, ada(), 'Are you still there?')).rejects.toMatchObject({
      code: 'sms/recipient_opted_out',
      status: 409,
      message: expect.stringMatching(
        /^The customer opted out of SMS \(sms: STOP\) on .*until they text START$/,
      ),
    });
    await expect(app.db.query('SELECT id FROM messages WHERE ticket_id = $1', [ticketId])).resolves.toEqual(
      before,
    );
  });

  it('refuses an empty or overlong body, an unknown ticket and a chat ticket', async () => {
    const ticketId = await ticketFor(aPhoneNumber());
    const [{ id: chatTicket }] = (await app.db.query(
      `INSERT INTO tickets (customer_id, channel) SELECT customer_id, 'chat' FROM tickets WHERE id = $1 RETURNING id`,
      [ticketId],
    )) as [{ id: string }];

    await expect(sut.reply(ticketId, ada(), '   ')).rejects.toMatchObject({
      status: 400,
      errors: [{ field: 'body' }],
    });
    await expect(sut.reply(ticketId, ada(), 'x'.repeat(1601))).rejects.toMatchObject({ status: 400 });
    await expect(sut.reply('999999999', ada(), 'hello')).rejects.toMatchObject({
      status: 404,
      code: 'ticket/not_found',
    });
    await expect(sut.reply(chatTicket, ada(), 'hello')).rejects.toMatchObject({
      status: 409,
      code: 'ticket/wrong_channel',
    });
  });
});
