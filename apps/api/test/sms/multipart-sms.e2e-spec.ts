import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const PARTS = ['It was the best of times, ', 'it was the worst of times, ', 'it was the age of wisdom.'];

describe('Multipart inbound SMS', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SMS_CONCAT_TIMEOUT_S: '5' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  function partsOf(phone: string, ref: string, texts = PARTS): Record<string, string>[] {
    return texts.map((text, i) =>
      inboundSms({
        msisdn: phone,
        text,
        concat: 'true',
        'concat-ref': ref,
        'concat-total': String(texts.length),
        'concat-part': String(i + 1),
      }),
    );
  }

  const inbound = (phone: string) =>
    sut.db.query<{ body: string; payload: Record<string, unknown> }>(
      `SELECT m.body, m.payload FROM messages m JOIN tickets t ON t.id = m.ticket_id
         JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 AND m.direction = 'in' ORDER BY m.id`,
      [`+${phone}`],
    );
  const replies = async (phone: string) =>
    (
      await sut.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id
           JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 AND m.direction = 'out'`,
        [`+${phone}`],
      )
    )[0]!.n;

  it('holds the parts until all arrived, then stores one message with them in order', async () => {
    const phone = aPhoneNumber();
    const [one, two, three] = partsOf(phone, '42');

    for (const part of [three!, one!]) {
      expect((await deliver(sut.baseUrl, '/webhooks/inbound-sms', part)).status).toBe(204);
    }
    await expect(inbound(phone)).resolves.toEqual([]);
    await expect(replies(phone)).resolves.toBe(0);

    await deliver(sut.baseUrl, '/webhooks/inbound-sms', two!, 'get');

    const [message] = await inbound(phone);
    expect(message!.body).toBe(PARTS.join(''));
    expect(message!.payload).toMatchObject({ concat: { ref: '42', total: 3 } });
    expect(message!.payload).not.toHaveProperty('partial');
    await expect(replies(phone)).resolves.toBe(1);
  });

  it('ignores duplicated parts, shuffled and concurrent, and stores the message once', async () => {
    const phone = aPhoneNumber();
    const parts = partsOf(phone, '7');
    const deliveries = [
      ...parts,
      ...parts,
      parts[1]!,
      { ...parts[0]!, messageId: `${parts[0]!.messageId}-RESENT` },
    ];
    deliveries.sort(() => Math.random() - 0.5);

    const responses = await Promise.all(
      deliveries.map((part) => deliver(sut.baseUrl, '/webhooks/inbound-sms', part)),
    );

    expect(responses.every((response) => response.status === 204)).toBe(true);
    await expect(inbound(phone)).resolves.toEqual([expect.objectContaining({ body: PARTS.join('') })]);
    await expect(replies(phone)).resolves.toBe(1);
  });

  it('keeps sets from different senders and references apart', async () => {
    const alice = aPhoneNumber();
    const bob = aPhoneNumber();
    const aliceParts = partsOf(alice, '1', ['Alice one, ', 'Alice two.']);
    const bobParts = partsOf(bob, '1', ['Bob one, ', 'Bob two.']);

    for (const part of [aliceParts[0]!, bobParts[1]!, bobParts[0]!, aliceParts[1]!]) {
      await deliver(sut.baseUrl, '/webhooks/inbound-sms', part);
    }

    await expect(inbound(alice)).resolves.toEqual([
      expect.objectContaining({ body: 'Alice one, Alice two.' }),
    ]);
    await expect(inbound(bob)).resolves.toEqual([expect.objectContaining({ body: 'Bob one, Bob two.' })]);
  });

  it('stores an incomplete set as it is, marked partial, after SMS_CONCAT_TIMEOUT_S', async () => {
    const phone = aPhoneNumber();
    const [one, , three] = partsOf(phone, '99');
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', one!);
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', three!);
    await expect(inbound(phone)).resolves.toEqual([]);

    const [message] = await eventually(
      async () => {
        const rows = await inbound(phone);
        return rows.length > 0 ? rows : undefined;
      },
      'the partial message',
      20_000,
    );

    expect(message!.body).toBe(PARTS[0]! + PARTS[2]!);
    expect(message!.payload).toMatchObject({ partial: true, missingParts: [2] });
    await expect(replies(phone)).resolves.toBe(1);
  }, 30_000);
});
