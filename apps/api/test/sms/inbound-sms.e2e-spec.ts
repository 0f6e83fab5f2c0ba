import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/test-app';
import { aPhoneNumber, deliver, type Encoding, inboundSms } from '../support/sms-webhooks';

interface MessageRow {
  id: string;
  ticket_id: string;
  direction: string;
  kind: string;
  body: string;
  status: string;
  payload: Record<string, unknown>;
  error: string | null;
}

describe('Inbound SMS webhook', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SUPPORT_COMPANY_NAME: 'ACME' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  const thread = (phone: string) =>
    sut.db.query<MessageRow>(
      `SELECT m.* FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN users u ON u.id = t.customer_id
        WHERE u.phone = $1 ORDER BY m.id`,
      [`+${phone}`],
    );
  const ticketsOf = (phone: string) =>
    sut.db.query<{ id: string; status: string; support_number: string; resolved_at: Date | null }>(
      `SELECT t.* FROM tickets t JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 ORDER BY t.id`,
      [`+${phone}`],
    );
  const confirmations = (rows: MessageRow[]) =>
    rows.filter((row) => row.payload.automated === 'confirmation');
  const queuedJobs = (messageId: string) =>
    sut.db.query(`SELECT id FROM pgboss.job WHERE name = 'sms.send' AND data ->> 'messageId' = $1`, [
      messageId,
    ]);

  describe.each<[Encoding, string]>([
    ['get', '/webhooks/inbound-sms'],
    ['json', '/webhooks/inbound-sms'],
    ['form', '/webhooks/inbound-sms'],
    ['get', '/support'],
    ['json', '/support'],
    ['form', '/support'],
  ])('delivered as %s to %s', (encoding, path) => {
    it('stores the message in E.164, opens a ticket and queues one confirmation with its number', async () => {
      const phone = aPhoneNumber();

      const response = await deliver(
        sut.baseUrl,
        path,
        inboundSms({ msisdn: phone, text: 'My parcel is late' }),
        encoding,
      );

      expect(response.status).toBe(204);
      const [ticket] = await ticketsOf(phone);
      expect(ticket).toMatchObject({ status: 'open', support_number: '+447700900000' });
      const messages = await thread(phone);
      expect(messages.map(({ direction, body, status }) => ({ direction, body, status }))).toEqual([
        { direction: 'in', body: 'My parcel is late', status: 'received' },
        {
          direction: 'out',
          body:
            `Dear customer, your support request has been registered. Your ticket number is ${ticket!.id}. ` +
            'We intend to get back to any support requests within 24h.',
          status: expect.stringMatching(/^(queued|submitted|sent|delivered)$/),
        },
      ]);
      await expect(queuedJobs(messages[1]!.id)).resolves.toHaveLength(1);
    });
  });

  it('adds later messages to the open ticket without another confirmation', async () => {
    const phone = aPhoneNumber();
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'first' }));

    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'second' }), 'get');

    await expect(ticketsOf(phone)).resolves.toHaveLength(1);
    const messages = await thread(phone);
    expect(messages.filter((row) => row.direction === 'in').map((row) => row.body)).toEqual([
      'first',
      'second',
    ]);
    expect(confirmations(messages)).toHaveLength(1);
  });

  it('changes nothing when a delivery is replayed, in any encoding and all at once', async () => {
    const phone = aPhoneNumber();
    const sms = inboundSms({ msisdn: phone });
    const encodings: Encoding[] = ['get', 'json', 'form'];

    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        deliver(sut.baseUrl, '/webhooks/inbound-sms', sms, encodings[i % 3]),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(204));
    const messages = await thread(phone);
    expect(messages.filter((row) => row.direction === 'in')).toHaveLength(1);
    expect(confirmations(messages)).toHaveLength(1);
    await expect(queuedJobs(confirmations(messages)[0]!.id)).resolves.toHaveLength(1);
  });

  it('opens exactly one ticket with one confirmation for 50 concurrent first messages', async () => {
    const phone = aPhoneNumber();

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: `message ${i}` })),
      ),
    );

    expect(responses.every((response) => response.status === 204)).toBe(true);
    await expect(ticketsOf(phone)).resolves.toHaveLength(1);
    const messages = await thread(phone);
    expect(messages.filter((row) => row.direction === 'in')).toHaveLength(50);
    expect(confirmations(messages)).toHaveLength(1);
  });

  it('stores webhooks that arrive together in shared transactions, each with its own outcome', async () => {
    const batches = async () => {
      const text = await (await fetch(`${sut.baseUrl}/metrics`)).text();
      const series = (name: string) =>
        Number(
          text
            .split('\n')
            .find((line) => line.startsWith(`${name} `))
            ?.split(' ')[1] ?? 0,
        );
      return {
        count: series('switchboard_sms_inbound_batch_size_count'),
        sum: series('switchboard_sms_inbound_batch_size_sum'),
      };
    };
    const phones = [...new Set(Array.from({ length: 60 }, () => aPhoneNumber()))].slice(0, 40);
    const replayed = inboundSms({ msisdn: phones[0]! });
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', replayed);
    const before = await batches();

    const responses = await Promise.all([
      ...phones.map((msisdn) =>
        deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn, text: `Hello from ${msisdn}` })),
      ),
      deliver(sut.baseUrl, '/webhooks/inbound-sms', replayed),
    ]);

    expect(responses.map((response) => response.status)).toEqual(Array(41).fill(204));
    const after = await batches();
    expect(after.sum - before.sum).toBe(41);
    expect(after.count - before.count).toBeLessThan(41);
    for (const phone of phones) {
      const messages = await thread(phone);
      expect(messages.filter((row) => row.direction === 'in').map((row) => row.body)).toEqual(
        phone === phones[0] ? [replayed.text!, `Hello from ${phone}`] : [`Hello from ${phone}`],
      );
      expect(confirmations(messages)).toHaveLength(1);
    }
  });

  it('does not let one customer whose lock is held up hold up everyone texting at the same time', async () => {
    const [stuck, ...others] = [...new Set(Array.from({ length: 30 }, () => aPhoneNumber()))].slice(0, 11);
    // Another transaction holds the stuck customer's lock (as a long-running one might) for 6 s.
    const holder = new Client({ connectionString: sut.db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('sms-customer:' || $1, 0))`, [
      `+${stuck}`,
    ]);
    const release = setTimeout(() => void holder.query('COMMIT'), 6000);
    try {
      const started = Date.now();
      const answered = await Promise.all(
        [stuck!, ...others].map(async (msisdn) => {
          const response = await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn }));
          return { msisdn, status: response.status, after: Date.now() - started };
        }),
      );

      expect(answered.map(({ status }) => status)).toEqual(Array(11).fill(204));
      // Its batch gives up on the lock after half a second; the others do not wait for it.
      for (const { msisdn, after } of answered.slice(1)) {
        expect({ msisdn, early: after < 5000 }).toEqual({ msisdn, early: true });
      }
      expect(answered[0]!.after).toBeGreaterThanOrEqual(5000);
      for (const msisdn of [stuck!, ...others]) await expect(ticketsOf(msisdn)).resolves.toHaveLength(1);
    } finally {
      clearTimeout(release);
      await holder.end();
    }
  }, 20_000);

  it('answers Vonage with the request id and without the browser security headers', async () => {
    const response = await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms());

    expect(response.status).toBe(204);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBeNull();
  });

  it('keeps one unresolved ticket per customer even when code tries to add a second', async () => {
    const phone = aPhoneNumber();
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone }));
    const [ticket] = await ticketsOf(phone);

    await expect(
      sut.db.query(
        `INSERT INTO tickets (customer_id, channel) SELECT customer_id, 'sms' FROM tickets WHERE id = $1`,
        [ticket!.id],
      ),
    ).rejects.toThrow(/tickets_one_unresolved/);
  });

  describe('after the ticket was resolved', () => {
    async function resolvedTicket(daysAgo: number): Promise<{ phone: string; ticketId: string }> {
      const phone = aPhoneNumber();
      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'broken' }));
      const [ticket] = await ticketsOf(phone);
      await sut.db.query(
        `UPDATE tickets SET status = 'resolved', resolved_at = now() - make_interval(days => $2) WHERE id = $1`,
        [ticket!.id, daysAgo],
      );
      return { phone, ticketId: ticket!.id };
    }

    it('reopens it within SMS_REOPEN_DAYS, records the change, and sends no new confirmation', async () => {
      const { phone, ticketId } = await resolvedTicket(6);

      await deliver(
        sut.baseUrl,
        '/webhooks/inbound-sms',
        inboundSms({ msisdn: phone, text: 'Still broken!' }),
      );

      await expect(ticketsOf(phone)).resolves.toEqual([
        expect.objectContaining({ id: ticketId, status: 'open' }),
      ]);
      const messages = await thread(phone);
      expect(confirmations(messages)).toHaveLength(1);
      expect(messages.at(-1)).toMatchObject({
        kind: 'event',
        payload: { type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' },
      });
    });

    it.each(['thanks', 'Thank you!', 'ok', '👍'])('keeps %p without reopening', async (text) => {
      const { phone, ticketId } = await resolvedTicket(1);

      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text }));

      await expect(ticketsOf(phone)).resolves.toEqual([
        expect.objectContaining({ id: ticketId, status: 'resolved' }),
      ]);
      expect((await thread(phone)).at(-1)).toMatchObject({
        ticket_id: ticketId,
        body: text,
        direction: 'in',
      });
    });

    it('opens a new ticket with its own confirmation after the window', async () => {
      const { phone, ticketId } = await resolvedTicket(8);

      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'New problem' }));

      const tickets = await ticketsOf(phone);
      expect(tickets.map((ticket) => ticket.status)).toEqual(['resolved', 'open']);
      expect(tickets[1]!.id).not.toBe(ticketId);
      const newThread = (await thread(phone)).filter((row) => row.ticket_id === tickets[1]!.id);
      expect(confirmations(newThread).map((row) => row.body)).toEqual([
        expect.stringContaining(`Your ticket number is ${tickets[1]!.id}.`),
      ]);
    });
  });

  describe('keywords', () => {
    const customer = (phone: string) =>
      sut.db
        .query<{ sms_opted_out_at: Date | null; sms_opt_out_source: string | null }>(
          'SELECT sms_opted_out_at, sms_opt_out_source FROM users WHERE phone = $1',
          [`+${phone}`],
        )
        .then((rows) => rows[0]!);

    it('records STOP with its time and source, and sends nothing automated afterwards', async () => {
      const phone = aPhoneNumber();
      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'problem' }));
      const [ticket] = await ticketsOf(phone);

      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'Stop' }));

      await expect(customer(phone)).resolves.toEqual({
        sms_opted_out_at: expect.any(Date),
        sms_opt_out_source: 'sms: STOP',
      });
      await sut.db.query(
        `UPDATE tickets SET status = 'resolved', resolved_at = now() - interval '30 days' WHERE id = $1`,
        [ticket!.id],
      );
      await deliver(
        sut.baseUrl,
        '/webhooks/inbound-sms',
        inboundSms({ msisdn: phone, text: 'another problem' }),
      );
      const latest = (await ticketsOf(phone)).at(-1)!;
      const replies = (await thread(phone)).filter(
        (row) => row.ticket_id === latest.id && row.direction === 'out',
      );
      expect(replies).toEqual([
        expect.objectContaining({
          status: 'suppressed',
          error: 'Not sent: the customer opted out of SMS (STOP)',
        }),
      ]);
      await expect(queuedJobs(replies[0]!.id)).resolves.toHaveLength(0);
    });

    it.each(['STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
      'treats %s as STOP',
      async (word) => {
        const phone = aPhoneNumber();

        await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: word }));

        await expect(customer(phone)).resolves.toEqual({
          sms_opted_out_at: expect.any(Date),
          sms_opt_out_source: `sms: ${word}`,
        });
        // A keyword from a new number opens a ticket for the record, but sends nothing.
        expect((await thread(phone)).map(({ direction, body }) => ({ direction, body }))).toEqual([
          { direction: 'in', body: word },
        ]);
      },
    );

    it('records START and UNSTOP as opting back in', async () => {
      for (const word of ['START', 'UNSTOP']) {
        const phone = aPhoneNumber();
        await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'STOP' }));

        await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: word }));

        await expect(customer(phone)).resolves.toEqual({ sms_opted_out_at: null, sms_opt_out_source: null });
      }
    });

    it('answers HELP with the company and how to reach support, and keeps it in the thread', async () => {
      const phone = aPhoneNumber();

      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'HELP' }));

      const messages = await thread(phone);
      expect(messages.map(({ direction, body }) => ({ direction, body }))).toEqual([
        { direction: 'in', body: 'HELP' },
        {
          direction: 'out',
          body: 'ACME Support: text your question to this number and an agent will reply here. Reply STOP to stop receiving messages.',
        },
      ]);
      expect(messages[1]!.payload).toEqual({ automated: 'help' });
    });
  });

  describe('bad input', () => {
    const storedCount = async () =>
      (await sut.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;

    it.each<[string, Record<string, string>, string]>([
      ['msisdn missing', { msisdn: '' }, 'msisdn'],
      ['msisdn not a number', { msisdn: 'abc' }, 'msisdn'],
      ['to missing', { to: '' }, 'to'],
      ['messageId missing', { messageId: '' }, 'messageId'],
      [
        'a bad concat-total',
        { concat: 'true', 'concat-ref': '9', 'concat-total': 'x', 'concat-part': '1' },
        'concat-total',
      ],
      [
        'a part beyond the total',
        { concat: 'true', 'concat-ref': '9', 'concat-total': '2', 'concat-part': '3' },
        'concat-part',
      ],
    ])('answers %s with a 400 naming the field, storing nothing', async (_case, overrides, field) => {
      const before = await storedCount();
      const params = Object.fromEntries(
        Object.entries(inboundSms(overrides)).filter(([, value]) => value !== ''),
      );

      const response = await deliver(sut.baseUrl, '/webhooks/inbound-sms', params);

      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; errors: { field: string }[] };
      expect(body.code).toBe('request/validation_failed');
      expect(body.errors.map((error) => error.field)).toContain(field);
      await expect(storedCount()).resolves.toBe(before);
    });

    it('answers broken JSON, an oversized body and an unknown content type with 4xx, never 5xx', async () => {
      const url = `${sut.baseUrl}/webhooks/inbound-sms`;
      const broken = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"msisdn":',
      });
      const oversized = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(inboundSms({ text: 'x'.repeat(2_000_000) })),
      });
      const xml = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<sms/>',
      });
      const repeated = await fetch(`${url}?${new URLSearchParams(inboundSms())}&msisdn=447700900002`);

      expect([broken.status, oversized.status, xml.status, repeated.status]).toEqual([400, 413, 415, 400]);
      await expect(xml.json()).resolves.toMatchObject({ code: 'request/unsupported_media_type' });
      await expect(repeated.json()).resolves.toMatchObject({
        errors: [{ field: 'msisdn', message: 'msisdn must be a single text value' }],
      });
    });

    it('keeps a text holding a NUL character, which PostgreSQL cannot store, with U+FFFD in its place', async () => {
      const phone = aPhoneNumber();

      const response = await deliver(
        sut.baseUrl,
        '/webhooks/inbound-sms',
        inboundSms({ msisdn: phone, text: 'order\u0000 42' }),
        'json',
      );

      expect(response.status).toBe(204);
      const [message] = await thread(phone);
      expect(message).toMatchObject({ body: 'order\uFFFD 42' });
      expect(message!.payload.text).toBe('order\uFFFD 42');
    });

    it('refuses a text longer than any real SMS', async () => {
      const response = await deliver(
        sut.baseUrl,
        '/webhooks/inbound-sms',
        inboundSms({ text: 'x'.repeat(10_001) }),
      );

      expect(response.status).toBe(400);
      await expect(response.json()).resolves.toMatchObject({ errors: [{ field: 'text' }] });
    });
  });
});
