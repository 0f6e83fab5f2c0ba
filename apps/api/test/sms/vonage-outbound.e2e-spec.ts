import { eventually } from '../support/eventually';
import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';
import { type RecordedRequest, startVonageEmulator, type VonageEmulator } from '../support/vonage-emulator';
import {
  newTicketOf,
  openTicket,
  outboundSms,
  outboundSmsOnce,
  queueAgentReply,
  sendJob,
} from './outbound-sms.fixtures';

const VONAGE_NUMBER = '447700900000';

function requestsFor(emulator: VonageEmulator, messageId: string): RecordedRequest[] {
  return emulator.requests.filter((request) => request.body['client-ref'] === messageId);
}

/** The message ids Vonage gave the parts it accepted, in order. */
function acceptedIds(request: RecordedRequest): string[] {
  const body = request.response?.body as { messages?: Record<string, string>[] } | undefined;
  return (body?.messages ?? []).filter((part) => part.status === '0').map((part) => part['message-id']!);
}

/** Resolves once the message's send job is over: no attempt of it is left to come. */
function sendJobDone(app: TestApp, messageId: string) {
  return eventually(
    async () => {
      const job = await sendJob(app, messageId);
      return job && ['completed', 'failed'].includes(job.state) ? job : undefined;
    },
    `the send job of message ${messageId} is over`,
    20_000,
  );
}

describe('Outbound SMS through Vonage', () => {
  let emulator: VonageEmulator;
  let sut: TestApp;

  beforeAll(async () => {
    emulator = await startVonageEmulator({ apiKey: 'abcd1234', apiSecret: 'E2eSecret0123456' });
    sut = await startTestApp({
      env: {
        VONAGE_API_KEY: emulator.apiKey,
        VONAGE_API_SECRET: emulator.apiSecret,
        VONAGE_NUMBER,
        VONAGE_REST_HOST: emulator.url,
        PUBLIC_URL: 'https://support.example.com',
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await emulator?.close();
  });

  /** An open ticket whose confirmation is already sent, so the answers a test scripts are not used up by it. */
  async function aTicket(phone = aPhoneNumber()): Promise<string> {
    const { ticketId, confirmationId } = await openTicket(sut, phone);
    await sendJobDone(sut, confirmationId);
    return ticketId;
  }

  it('sends a new ticket’s confirmation to Vonage once, from VONAGE_NUMBER whichever number was texted, and records its id', async () => {
    const phone = aPhoneNumber();

    const { ticketId, confirmationId } = await openTicket(sut, phone, { to: '447700900123' });

    const submitted = await outboundSmsOnce(sut, confirmationId, (row) => row.status !== 'queued', 'sent');
    await sendJobDone(sut, confirmationId);
    const requests = requestsFor(emulator, confirmationId);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/sms/json' });
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString('base64')}`,
    );
    expect(request!.body).toEqual({
      to: phone,
      from: VONAGE_NUMBER,
      text: expect.stringContaining(`Your ticket number is ${ticketId}.`),
      'client-ref': confirmationId,
      type: 'text',
      'status-report-req': true,
      callback: 'https://support.example.com/webhooks/sms-status',
    });
    const [vonageId] = acceptedIds(request!);
    expect(submitted).toMatchObject({
      status: 'submitted',
      provider: 'vonage',
      provider_message_id: vonageId,
      error: null,
      payload: { automated: 'confirmation', providerParts: [vonageId] },
    });
  });

  it('sends a long reply as one request and records the id of every part', async () => {
    const ticketId = await aTicket();
    const reply =
      'Thanks for your patience. The courier has confirmed that your parcel was delayed at the depot ' +
      'because of the storm. It is now on the van and should reach you tomorrow before noon. If it does ' +
      'not, reply here and we will send a replacement the same day.'; // 259 GSM-7 characters: 2 parts

    const messageId = await queueAgentReply(sut, ticketId, reply);

    const submitted = await outboundSmsOnce(sut, messageId, (row) => row.status !== 'queued', 'sent');
    const [request, ...more] = requestsFor(emulator, messageId);
    expect(more).toHaveLength(0);
    expect(request!.body).toMatchObject({ text: reply, type: 'text' });
    const parts = acceptedIds(request!);
    expect(parts).toHaveLength(2);
    expect(submitted).toMatchObject({
      status: 'submitted',
      provider_message_id: parts[0],
      payload: { providerParts: parts },
    });
  });

  it('sends text outside GSM-7 as unicode', async () => {
    const ticketId = await aTicket();

    const messageId = await queueAgentReply(sut, ticketId, 'Zamówienie wysłane 📦 – dziękujemy!');

    await outboundSmsOnce(sut, messageId, (row) => row.status === 'submitted', 'submitted');
    expect(requestsFor(emulator, messageId).map((request) => request.body.type)).toEqual(['unicode']);
  });

  it('retries after Vonage throttles it, and records the send that went through', async () => {
    const ticketId = await aTicket();
    emulator.reply({ status: '1' });

    const messageId = await queueAgentReply(sut, ticketId, 'Your replacement is on its way.');

    const submitted = await outboundSmsOnce(sut, messageId, (row) => row.status !== 'queued', 'sent');
    const requests = requestsFor(emulator, messageId);
    expect(requests.map((request) => acceptedIds(request).length)).toEqual([0, 1]);
    expect(submitted).toMatchObject({
      status: 'submitted',
      provider_message_id: acceptedIds(requests[1]!)[0],
      error: null,
    });
  });

  it('retries when Vonage answers HTTP 500, until it accepts the message', async () => {
    const ticketId = await aTicket();
    emulator.reply({ http: 500 }, { http: 500 });

    const messageId = await queueAgentReply(sut, ticketId, 'We have refunded the delivery fee.');

    const submitted = await outboundSmsOnce(sut, messageId, (row) => row.status !== 'queued', 'sent');
    const requests = requestsFor(emulator, messageId);
    expect(requests.map((request) => request.response?.status)).toEqual([500, 500, 200]);
    expect(submitted).toMatchObject({
      status: 'submitted',
      provider_message_id: acceptedIds(requests[2]!)[0],
    });
  });

  it.each([
    ['15', 'Invalid Sender Address'],
    ['29', 'Non-White-listed Destination'],
    ['4', 'Bad Credentials'],
  ])(
    'marks the message failed, without retrying, when Vonage refuses it with status %s',
    async (status, text) => {
      const ticketId = await aTicket();
      emulator.reply({ status });

      const messageId = await queueAgentReply(sut, ticketId, 'Please confirm your address.');

      const failed = await outboundSmsOnce(sut, messageId, (row) => row.status !== 'queued', 'settled');
      expect(failed).toMatchObject({ status: 'failed', error: text, provider_message_id: null });
      await expect(sendJobDone(sut, messageId)).resolves.toMatchObject({
        state: 'completed',
        retry_count: 0,
      });
      expect(requestsFor(emulator, messageId)).toHaveLength(1);
    },
  );

  it('never sends to a customer who opted out', async () => {
    const phone = aPhoneNumber();
    const ticketId = await aTicket(phone);
    await sut.db.query(`UPDATE users SET sms_opted_out_at = now() WHERE phone = $1`, [`+${phone}`]);

    const messageId = await queueAgentReply(sut, ticketId, 'A late reply.');

    await sendJobDone(sut, messageId);
    await expect(outboundSms(sut, messageId)).resolves.toMatchObject({
      status: 'suppressed',
      error: 'Not sent: the customer opted out of SMS (STOP)',
    });
    expect(requestsFor(emulator, messageId)).toHaveLength(0);
  });

  describe('when the database fails once', () => {
    // A trigger that throws the first time it fires stands in for a dropped connection or a failover.
    // Sequences are not transactional, so the count survives the failed statement's rollback.
    async function failOnce(trigger: string, table: string, when: string, condition = 'true'): Promise<void> {
      await sut.db.query(`CREATE SEQUENCE ${trigger}_count`);
      await sut.db.query(`
        CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF ${condition} THEN
            IF nextval('${trigger}_count') = 1 THEN
              RAISE EXCEPTION 'simulated outage: the database connection was lost';
            END IF;
          END IF;
          RETURN NEW;
        END $$`);
      await sut.db.query(
        `CREATE TRIGGER ${trigger} ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
      );
    }

    async function repair(trigger: string, table: string): Promise<void> {
      await sut.db.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
      await sut.db.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
      await sut.db.query(`DROP SEQUENCE IF EXISTS ${trigger}_count`);
    }

    afterEach(async () => {
      await repair('fail_send_slot', 'sms_send_windows');
      await repair('fail_recording', 'messages');
    });

    it('retries a send whose job failed before reaching Vonage, and sends it once', async () => {
      const ticketId = await aTicket();
      await failOnce('fail_send_slot', 'sms_send_windows', 'BEFORE INSERT');

      const messageId = await queueAgentReply(sut, ticketId, 'Your order has shipped.');

      const submitted = await outboundSmsOnce(
        sut,
        messageId,
        (row) => row.status === 'submitted',
        'submitted',
      );
      await expect(sendJobDone(sut, messageId)).resolves.toMatchObject({
        state: 'completed',
        retry_count: 1,
      });
      expect(requestsFor(emulator, messageId).map(acceptedIds)).toEqual([[submitted.provider_message_id]]);
    });

    it('does not send the SMS again when recording an accepted send fails', async () => {
      const ticketId = await aTicket();
      const body = `Your voucher code is ${Date.now()}.`;
      await failOnce(
        'fail_recording',
        'messages',
        'BEFORE UPDATE',
        `NEW.body = '${body}' AND NEW.provider_message_id IS NOT NULL`,
      );

      const messageId = await queueAgentReply(sut, ticketId, body);

      const submitted = await outboundSmsOnce(
        sut,
        messageId,
        (row) => row.status === 'submitted',
        'submitted',
      );
      await sendJobDone(sut, messageId);
      // One request, and the id Vonage gave it recorded.
      expect(requestsFor(emulator, messageId).map(acceptedIds)).toEqual([[submitted.provider_message_id]]);
      expect(submitted.error).toBeNull();
    });
  });
});

describe('Outbound SMS rate limit', () => {
  let emulator: VonageEmulator;
  let sut: TestApp;

  beforeAll(async () => {
    emulator = await startVonageEmulator();
    sut = await startTestApp({
      env: {
        VONAGE_API_KEY: emulator.apiKey,
        VONAGE_API_SECRET: emulator.apiSecret,
        VONAGE_NUMBER,
        VONAGE_REST_HOST: emulator.url,
        VONAGE_SMS_RATE: '2',
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await emulator?.close();
  });

  it('sends the confirmations of six tickets opened at once, never more than two in one second', async () => {
    const phones = Array.from({ length: 6 }, () => aPhoneNumber());

    const responses = await Promise.all(
      phones.map((phone) => deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone }))),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(204));
    const ids: string[] = [];
    for (const phone of phones) ids.push((await newTicketOf(sut, phone)).confirmationId);

    await eventually(
      async () => {
        const [row] = await sut.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::bigint[]) AND status = 'submitted'`,
          [ids],
        );
        return row!.n === ids.length ? true : undefined;
      },
      'all six confirmations submitted',
      20_000,
    );

    expect(emulator.requests.map((request) => request.body['client-ref']).sort()).toEqual([...ids].sort());
    const windows = await sut.db.query<{ second: Date; sent: number }>(
      'SELECT second, sent FROM sms_send_windows ORDER BY second',
    );
    // Every request took its slot in a second's budget first, and no second's budget went over two.
    expect(windows.reduce((total, window) => total + window.sent, 0)).toBe(emulator.requests.length);
    expect(Math.max(...windows.map((window) => window.sent))).toBeLessThanOrEqual(2);
  });
});
