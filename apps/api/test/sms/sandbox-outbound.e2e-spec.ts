import { eventually } from '../support/eventually';
import { aPhoneNumber } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  openTicket,
  outboundSms,
  outboundSmsOnce,
  queueAgentReply,
  receiptsFor,
  sendJob,
} from './outbound-sms.fixtures';

describe('Outbound SMS through the sandbox provider', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('submits a new ticket’s confirmation with the sandbox’s ids, then marks it delivered by the simulated receipt', async () => {
    const phone = aPhoneNumber();

    const { confirmationId } = await openTicket(sut, phone);

    // The simulated receipt comes a second after the send, so the submission is seen first.
    const submitted = await outboundSmsOnce(sut, confirmationId, (row) => row.status !== 'queued', 'sent');
    expect(submitted).toMatchObject({
      status: 'submitted',
      provider: 'sandbox',
      provider_message_id: expect.stringMatching(/^SANDBOX-[0-9a-f-]{36}$/),
      error: null,
      payload: { automated: 'confirmation', providerParts: [submitted.provider_message_id] },
    });
    const delivered = await outboundSmsOnce(
      sut,
      confirmationId,
      (row) => row.status === 'delivered',
      'delivered',
    );
    expect(delivered).toMatchObject({ provider_message_id: submitted.provider_message_id, error: null });
    await expect(receiptsFor(sut, submitted.provider_message_id!)).resolves.toEqual([
      expect.objectContaining({
        client_ref: confirmationId,
        status: 'delivered',
        error_code: '0',
        message_id: confirmationId,
        params: { msisdn: phone, to: '447700900000', simulated: 'true' },
      }),
    ]);
  });

  it('marks a confirmation to an unreachable phone (…0666) failed, saying why', async () => {
    const phone = `${aPhoneNumber().slice(0, -4)}0666`;

    const { confirmationId } = await openTicket(sut, phone);

    const failed = await outboundSmsOnce(sut, confirmationId, (row) => row.status === 'failed', 'failed');
    expect(failed).toMatchObject({
      provider: 'sandbox',
      provider_message_id: expect.stringMatching(/^SANDBOX-/),
      error: 'Delivery failed: absent subscriber (permanent) (err-code 3)',
    });
  });

  it('gives every part of a long reply its own id, and marks the reply delivered', async () => {
    const { ticketId } = await openTicket(sut, aPhoneNumber());
    const reply = 'We are sorry your parcel is late. '.repeat(10).trim(); // 339 GSM-7 characters: 3 parts

    const messageId = await queueAgentReply(sut, ticketId, reply);

    const delivered = await outboundSmsOnce(sut, messageId, (row) => row.status === 'delivered', 'delivered');
    const parts = delivered.payload.providerParts!;
    expect(parts).toHaveLength(3);
    expect(new Set(parts).size).toBe(3);
    expect(delivered.provider_message_id).toBe(parts[0]);
  });

  it('suppresses, and never sends, an SMS queued for a customer who has opted out', async () => {
    const phone = aPhoneNumber();
    const { ticketId } = await openTicket(sut, phone);
    await sut.db.query(
      `UPDATE users SET sms_opted_out_at = now(), sms_opt_out_source = 'sms: STOP' WHERE phone = $1`,
      [`+${phone}`],
    );

    const messageId = await queueAgentReply(sut, ticketId, 'Your refund has been issued.');

    await eventually(
      async () => ((await sendJob(sut, messageId))?.state === 'completed' ? true : undefined),
      'the send job completes',
    );
    await expect(outboundSms(sut, messageId)).resolves.toMatchObject({
      status: 'suppressed',
      error: 'Not sent: the customer opted out of SMS (STOP)',
      provider_message_id: null,
    });
    const simulatedReceipts = await sut.db.query(
      `SELECT id FROM pgboss.job WHERE name = 'sandbox.sms-receipt' AND data ->> 'clientRef' = $1`,
      [messageId],
    );
    expect(simulatedReceipts).toHaveLength(0);
  });
});
