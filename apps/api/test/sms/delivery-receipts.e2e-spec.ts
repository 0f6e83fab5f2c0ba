import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { computeSignature } from '../../src/sms/webhook-signature';
import { eventually } from '../support/eventually';
import { aPhoneNumber, deliver, type Encoding } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';
import { type RecordedRequest, startVonageEmulator, type VonageEmulator } from '../support/vonage-emulator';
import {
  enqueueSend,
  insertAgentReply,
  openTicket,
  outboundSms,
  outboundSmsOnce,
  queueAgentReply,
  receiptsFor,
} from './outbound-sms.fixtures';
import { startVonageAnswerGate, type VonageAnswerGate } from './vonage-answer-gate';

const VONAGE_NUMBER = '447700900000';
const PATH = '/webhooks/sms-status';

interface SentSms {
  /** Our message id, sent to Vonage as `client-ref`. */
  messageId: string;
  /** Vonage's id of the (first) part. */
  vonageId: string;
  /** The customer's number, digits only. */
  phone: string;
}

/** A delivery receipt as Vonage sends it: every value a string, numbers without `+`. */
function aReceipt(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const receipt: Record<string, string | undefined> = {
    msisdn: '447700900001',
    to: VONAGE_NUMBER,
    'network-code': '23410',
    messageId: randomBytes(8).toString('hex').toUpperCase(),
    price: '0.03330000',
    status: 'delivered',
    scts: '2611211200',
    'err-code': '0',
    'api-key': 'abcd1234',
    'message-timestamp': new Date().toISOString().slice(0, 19).replace('T', ' '),
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(receipt).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Vonage's receipt for a message it accepted. */
function receiptOf(sms: SentSms, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  return aReceipt({ msisdn: sms.phone, messageId: sms.vonageId, 'client-ref': sms.messageId, ...overrides });
}

function acceptedIds(request: RecordedRequest | undefined): string[] {
  const body = request?.response?.body as { messages?: Record<string, string>[] } | undefined;
  return (body?.messages ?? []).filter((part) => part.status === '0').map((part) => part['message-id']!);
}

describe('Delivery receipts webhook', () => {
  let emulator: VonageEmulator;
  let gate: VonageAnswerGate;
  let sut: TestApp;

  beforeAll(async () => {
    emulator = await startVonageEmulator({ apiKey: 'abcd1234', apiSecret: 'E2eSecret0123456' });
    gate = await startVonageAnswerGate(emulator.url);
    sut = await startTestApp({
      env: {
        VONAGE_API_KEY: emulator.apiKey,
        VONAGE_API_SECRET: emulator.apiSecret,
        VONAGE_NUMBER,
        VONAGE_REST_HOST: gate.url,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await gate?.close();
    await emulator?.close();
  });

  afterEach(() => gate.release());

  /** A new ticket's confirmation, accepted by Vonage and recorded as submitted. */
  async function aSubmittedSms(): Promise<SentSms> {
    const phone = aPhoneNumber();
    const { confirmationId } = await openTicket(sut, phone);
    const submitted = await outboundSmsOnce(sut, confirmationId, (row) => row.status !== 'queued', 'sent');
    if (submitted.status !== 'submitted') throw new Error(`confirmation ended ${submitted.status}`);
    return { messageId: confirmationId, vonageId: submitted.provider_message_id!, phone };
  }

  /** The answer Vonage gave to the send of this message, once it has given one. */
  function vonageAnswerTo(messageId: string): Promise<string[]> {
    return eventually(async () => {
      const request = emulator.requests.find((candidate) => candidate.body['client-ref'] === messageId);
      const ids = acceptedIds(request);
      return ids.length > 0 ? ids : undefined;
    }, `Vonage accepts message ${messageId}`);
  }

  describe.each<Encoding>(['get', 'json', 'form'])('delivered as %s', (encoding) => {
    it('marks the SMS delivered and keeps the receipt against it', async () => {
      const sms = await aSubmittedSms();
      const receipt = receiptOf(sms);

      const response = await deliver(sut.baseUrl, PATH, receipt, encoding);

      expect(response.status).toBe(204);
      await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({
        status: 'delivered',
        error: null,
      });
      await expect(receiptsFor(sut, sms.vonageId)).resolves.toEqual([
        {
          provider_message_id: sms.vonageId,
          client_ref: sms.messageId,
          status: 'delivered',
          error_code: '0',
          message_id: sms.messageId,
          params: receipt,
        },
      ]);
    });

    it('marks the SMS failed with the carrier’s reason', async () => {
      const sms = await aSubmittedSms();

      const response = await deliver(
        sut.baseUrl,
        PATH,
        receiptOf(sms, { status: 'failed', 'err-code': '3' }),
        encoding,
      );

      expect(response.status).toBe(204);
      await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({
        status: 'failed',
        error: 'Delivery failed: absent subscriber (permanent) (err-code 3)',
      });
    });
  });

  it.each([
    ['failed', '3', 'Delivery failed: absent subscriber (permanent) (err-code 3)'],
    ['expired', '2', 'Delivery expired: absent subscriber (temporary) (err-code 2)'],
    ['rejected', '6', 'Delivery rejected: anti-spam rejection (err-code 6)'],
    ['undelivered', '12', 'Delivery undelivered: destination unreachable (err-code 12)'],
    ['FAILED', '42', 'Delivery failed: carrier error (err-code 42)'],
  ])('marks the SMS failed on a receipt with status %s and err-code %s', async (status, errCode, error) => {
    const sms = await aSubmittedSms();

    const response = await deliver(sut.baseUrl, PATH, receiptOf(sms, { status, 'err-code': errCode }));

    expect(response.status).toBe(204);
    await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({ status: 'failed', error });
  });

  it.each(['accepted', 'buffered'])(
    'marks the SMS sent on an interim receipt with status %s',
    async (status) => {
      const sms = await aSubmittedSms();

      await deliver(sut.baseUrl, PATH, receiptOf(sms, { status, 'err-code': '0' }));

      await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({ status: 'sent', error: null });
    },
  );

  it('keeps a delivered SMS delivered when late accepted and buffered receipts come after', async () => {
    const sms = await aSubmittedSms();
    await deliver(sut.baseUrl, PATH, receiptOf(sms, { status: 'delivered' }));

    const late = await Promise.all([
      deliver(sut.baseUrl, PATH, receiptOf(sms, { status: 'buffered' }), 'form'),
      deliver(sut.baseUrl, PATH, receiptOf(sms, { status: 'accepted' }), 'get'),
    ]);

    expect(late.map((response) => response.status)).toEqual([204, 204]);
    await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({
      status: 'delivered',
      error: null,
    });
    const receipts = await receiptsFor(sut, sms.vonageId);
    expect(receipts.map((receipt) => receipt.status).sort()).toEqual(['accepted', 'buffered', 'delivered']);
  });

  it('records a receipt delivered again, in any encoding and all at once, only once', async () => {
    const sms = await aSubmittedSms();
    const receipt = receiptOf(sms, { status: 'failed', 'err-code': '4' });
    const encodings: Encoding[] = ['get', 'json', 'form'];

    const responses = await Promise.all(
      Array.from({ length: 9 }, (_, i) => deliver(sut.baseUrl, PATH, receipt, encodings[i % 3])),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(9).fill(204));
    await expect(receiptsFor(sut, sms.vonageId)).resolves.toHaveLength(1);
    await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({
      status: 'failed',
      error: 'Delivery failed: call barred by the recipient (err-code 4)',
    });
  });

  it('finds the SMS by client-ref when Vonage’s message id is not one we recorded', async () => {
    const sms = await aSubmittedSms();
    const unknownId = randomBytes(8).toString('hex').toUpperCase();

    const response = await deliver(sut.baseUrl, PATH, receiptOf(sms, { messageId: unknownId }));

    expect(response.status).toBe(204);
    await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({ status: 'delivered' });
    await expect(receiptsFor(sut, unknownId)).resolves.toEqual([
      expect.objectContaining({ message_id: sms.messageId }),
    ]);
  });

  it('finds the SMS by Vonage’s message id when there is no client-ref', async () => {
    const sms = await aSubmittedSms();

    await deliver(sut.baseUrl, PATH, receiptOf(sms, { 'client-ref': undefined }));

    await expect(outboundSms(sut, sms.messageId)).resolves.toMatchObject({ status: 'delivered' });
  });

  it('keeps each part’s receipt of a long SMS, and marks it failed when a part failed', async () => {
    const phone = aPhoneNumber();
    const { ticketId } = await openTicket(sut, phone);
    const messageId = await queueAgentReply(sut, ticketId, 'Your order is on its way. '.repeat(8).trim());
    const submitted = await outboundSmsOnce(sut, messageId, (row) => row.status !== 'queued', 'sent');
    const [first, second] = submitted.payload.providerParts!;
    expect(second).toBeDefined();
    const sms = { messageId, vonageId: first!, phone };

    await deliver(sut.baseUrl, PATH, receiptOf(sms, { 'client-ref': undefined }));
    await deliver(
      sut.baseUrl,
      PATH,
      receiptOf(sms, { messageId: second, 'client-ref': undefined, status: 'failed', 'err-code': '8' }),
    );

    await expect(outboundSms(sut, messageId)).resolves.toMatchObject({
      status: 'failed',
      error: 'Delivery failed: network error (err-code 8)',
    });
    const receipts = [...(await receiptsFor(sut, first!)), ...(await receiptsFor(sut, second!))];
    expect(receipts.map((receipt) => receipt.message_id)).toEqual([messageId, messageId]);
  });

  it('keeps a receipt for a message it does not know, unmatched, and answers 204', async () => {
    const receipt = aReceipt({ status: 'delivered' });

    const response = await deliver(sut.baseUrl, PATH, receipt);

    expect(response.status).toBe(204);
    await expect(receiptsFor(sut, receipt.messageId!)).resolves.toEqual([
      expect.objectContaining({ status: 'delivered', message_id: null }),
    ]);
  });

  describe('a receipt that overtakes the send', () => {
    it('is applied once the send is recorded, found by Vonage’s message id', async () => {
      const { ticketId } = await openTicket(sut, aPhoneNumber());
      gate.hold();
      const messageId = await queueAgentReply(sut, ticketId, 'We have booked a courier for Monday.');
      const [vonageId] = await vonageAnswerTo(messageId);

      const response = await deliver(
        sut.baseUrl,
        PATH,
        aReceipt({ messageId: vonageId, status: 'delivered' }),
      );

      expect(response.status).toBe(204);
      await expect(receiptsFor(sut, vonageId!)).resolves.toEqual([
        expect.objectContaining({ message_id: null }),
      ]);
      await expect(outboundSms(sut, messageId)).resolves.toMatchObject({ status: 'queued' });
      gate.release();
      const delivered = await outboundSmsOnce(
        sut,
        messageId,
        (row) => row.status === 'delivered',
        'delivered',
      );
      expect(delivered.provider_message_id).toBe(vonageId);
      await expect(receiptsFor(sut, vonageId!)).resolves.toEqual([
        expect.objectContaining({ message_id: messageId }),
      ]);
    });

    it('keeps the reason of a failure it reported before the send was recorded', async () => {
      const { ticketId } = await openTicket(sut, aPhoneNumber());
      gate.hold();
      const messageId = await queueAgentReply(sut, ticketId, 'Can you confirm your postcode?');
      const [vonageId] = await vonageAnswerTo(messageId);

      await deliver(
        sut.baseUrl,
        PATH,
        aReceipt({ messageId: vonageId, 'client-ref': messageId, status: 'failed', 'err-code': '3' }),
      );
      gate.release();

      const recorded = await outboundSmsOnce(
        sut,
        messageId,
        (row) => row.provider_message_id !== null,
        'recorded',
      );
      expect(recorded).toMatchObject({
        status: 'failed',
        error: 'Delivery failed: absent subscriber (permanent) (err-code 3)',
      });
    });

    it('is not lost when it arrives while the send is being recorded', async () => {
      const { ticketId } = await openTicket(sut, aPhoneNumber());
      const messageId = await insertAgentReply(sut, ticketId, 'Your return label is attached.');
      // The worker records a send, then claims the receipts that were waiting for it. A lock on one
      // such receipt holds the worker between the two, the moment at which the receipt comes in.
      await sut.db.query(
        `INSERT INTO sms_delivery_receipts (provider_message_id, client_ref, status, params)
         VALUES ($1, $2, 'buffered', '{}')`,
        [`HOLD-${messageId}`, messageId],
      );
      const holder = new Client({ connectionString: sut.db.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT id FROM sms_delivery_receipts WHERE client_ref = $1 FOR UPDATE`, [
          messageId,
        ]);
        await enqueueSend(sut, messageId);
        const [vonageId] = await vonageAnswerTo(messageId);
        await waitingForLocks(1);

        let answered = false;
        const response = deliver(
          sut.baseUrl,
          PATH,
          aReceipt({ messageId: vonageId, status: 'delivered' }),
        ).then((result) => ((answered = true), result));
        await eventually(
          async () => (answered || (await lockWaiters()) >= 2 ? true : undefined),
          'the receipt is processed or waits for the send to be recorded',
        );
        await holder.query('COMMIT');

        await expect(response).resolves.toMatchObject({ status: 204 });
        await outboundSmsOnce(sut, messageId, (row) => row.status === 'delivered', 'delivered', 10_000);
        await expect(receiptsFor(sut, vonageId!)).resolves.toEqual([
          expect.objectContaining({ status: 'delivered', message_id: messageId }),
        ]);
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      }
    });

    async function lockWaiters(): Promise<number> {
      const [row] = await sut.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return row!.n;
    }

    function waitingForLocks(count: number): Promise<true> {
      return eventually(
        async () => ((await lockWaiters()) >= count ? true : undefined),
        `${count} transaction(s) waiting for a lock`,
      );
    }
  });

  describe('bad input', () => {
    const storedCount = async () =>
      (await sut.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_delivery_receipts'))[0]!.n;

    it.each<[string, Encoding]>([
      ['messageId', 'json'],
      ['messageId', 'get'],
      ['status', 'form'],
      ['status', 'json'],
    ])('answers a receipt without %s (%s) with a 400 naming it, storing nothing', async (field, encoding) => {
      const before = await storedCount();

      const response = await deliver(sut.baseUrl, PATH, aReceipt({ [field]: undefined }), encoding);

      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; errors: { field: string }[] };
      expect(body.code).toBe('request/validation_failed');
      expect(body.errors.map((error) => error.field)).toEqual([field]);
      await expect(storedCount()).resolves.toBe(before);
    });
  });
});

describe('Delivery receipts webhook with signatures required', () => {
  const secret = 'receipt-signing-secret';
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { VONAGE_SIGNATURE_SECRET: secret } });
  });

  afterAll(async () => {
    await sut?.close();
  });

  function signed(params: Record<string, string>): Record<string, string> {
    const withNonce = {
      ...params,
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: randomBytes(16).toString('hex'),
    };
    return { ...withNonce, sig: computeSignature(withNonce, secret, 'md5hash') };
  }

  it.each<Encoding>(['get', 'json', 'form'])(
    'refuses an unsigned receipt (%s) with 401, storing nothing',
    async (encoding) => {
      const receipt = aReceipt();

      const response = await deliver(sut.baseUrl, PATH, receipt, encoding);

      expect(response.status).toBe(401);
      await expect(receiptsFor(sut, receipt.messageId!)).resolves.toEqual([]);
    },
  );

  it('refuses a receipt whose signature does not match, storing nothing', async () => {
    const receipt = signed(aReceipt());

    const response = await deliver(sut.baseUrl, PATH, { ...receipt, status: 'failed' });

    expect(response.status).toBe(401);
    await expect(receiptsFor(sut, receipt.messageId!)).resolves.toEqual([]);
  });

  it.each<Encoding>(['get', 'json', 'form'])('accepts a correctly signed receipt (%s)', async (encoding) => {
    const receipt = signed(aReceipt());

    const response = await deliver(sut.baseUrl, PATH, receipt, encoding);

    expect(response.status).toBe(204);
    const [stored] = await receiptsFor(sut, receipt.messageId!);
    expect(stored).toMatchObject({ status: 'delivered' });
    // The signature's own parameters are not part of the receipt.
    expect(stored!.params).not.toHaveProperty('sig');
    expect(stored!.params).not.toHaveProperty('nonce');
  });
});
