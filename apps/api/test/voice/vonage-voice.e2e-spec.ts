import type { CallOptions, CallView, PlacedCall, ThreadEntry } from '@switchboard/contracts';
import { anAgent, aCustomerWithAnOrder, type Customer } from '../support/chat-clients';
import { aPhoneNumber } from '../support/sms-webhooks';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type CreatedCall,
  startVonageVoiceEmulator,
  VOICE_SIGNATURE_SECRET,
  type VonageVoiceEmulator,
  voiceWebhookToken,
} from '../support/vonage-voice-emulator';

/** Call me back through Vonage's Voice API: the real SDK against the emulator, events signed like Vonage's. */
describe('Call me back through Vonage', () => {
  let vonage: VonageVoiceEmulator;
  let sut: TestApp;
  let agent: { id: string; accessToken: string };
  let agentPhone: string;

  beforeAll(async () => {
    vonage = await startVonageVoiceEmulator();
    sut = await startTestApp({
      env: {
        VONAGE_API_KEY: 'abcd1234',
        VONAGE_API_SECRET: 'secret',
        VONAGE_NUMBER: '447700900000',
        VONAGE_SIGNATURE_SECRET: VOICE_SIGNATURE_SECRET,
        VONAGE_SIGNATURE_METHOD: 'sha256',
        VONAGE_APPLICATION_ID: vonage.applicationId,
        VONAGE_PRIVATE_KEY: vonage.privateKey,
        VONAGE_API_HOST: vonage.url,
        VONAGE_VOICE: 'true',
        PUBLIC_URL: 'https://desk.example.com',
      },
    });
    agent = await anAgent(sut, 'Fox Mulder');
    agentPhone = `+${aPhoneNumber()}`;
    await sut.db.query(`UPDATE users SET on_duty = true, phone = $2 WHERE id = $1`, [agent.id, agentPhone]);
  });

  afterAll(async () => {
    await sut.close();
    await vonage.close();
  });

  const asCustomer = (customer: Customer, method: string, path = '') =>
    fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}/calls${path}`, {
      method,
      headers: { authorization: `Bearer ${customer.accessToken}` },
    });

  const callEntries = async (customer: Customer) => {
    const response = await fetch(`${sut.baseUrl}/api/tickets/${customer.conversationId}`, {
      headers: { authorization: `Bearer ${agent.accessToken}` },
    });
    return ((await response.json()) as { thread: ThreadEntry[] }).thread.filter(
      (entry) => entry.payload.type === 'call',
    );
  };
  const steps = async (customer: Customer) =>
    (await callEntries(customer)).map(
      (entry) => `${String(entry.payload.leg)} ${String(entry.payload.status)}`,
    );

  /** A customer with a number who asked to be called: the call Vonage was asked to make. */
  async function aRequestedCall(): Promise<{
    customer: Customer;
    number: string;
    call: CreatedCall;
    view: CallView;
  }> {
    const number = `+${aPhoneNumber()}`;
    const customer = await aCustomerWithAnOrder(sut, 'Dana Scully', { phone: number });
    const before = vonage.created.length;
    const response = await asCustomer(customer, 'POST');
    expect(response.status).toBe(201);
    const view = (await response.json()) as CallView;
    expect(vonage.created).toHaveLength(before + 1);
    return { customer, number, call: vonage.created.at(-1)!, view };
  }

  it('asks Vonage for the call with an NCCO that connects it to the agent, and records each step Vonage reports', async () => {
    const { customer, number, call, view } = await aRequestedCall();
    const digits = number.slice(1);
    expect(call.body).toMatchObject({
      to: [{ type: 'phone', number: digits }],
      from: { type: 'phone', number: '447700900000' },
      event_url: [`https://desk.example.com/webhooks/voice/calls/${view.id}/events`],
      ringing_timer: 30,
    });
    expect(call.body.ncco).toEqual([
      expect.objectContaining({ action: 'talk' }),
      expect.objectContaining({
        action: 'connect',
        from: '447700900000',
        endpoint: [{ type: 'phone', number: agentPhone.slice(1) }],
        eventUrl: [`https://desk.example.com/webhooks/voice/calls/${view.id}/events`],
      }),
      expect.objectContaining({ action: 'talk' }),
    ]);

    const customerLeg = { uuid: call.uuid, to: digits };
    const agentLeg = { uuid: crypto.randomUUID(), to: agentPhone.slice(1) };
    for (const [leg, status, extra] of [
      [customerLeg, 'started'],
      [customerLeg, 'ringing'],
      [customerLeg, 'answered'],
      [agentLeg, 'started'],
      [agentLeg, 'ringing'],
      [agentLeg, 'answered'],
      [agentLeg, 'completed', { duration: '118' }],
      [customerLeg, 'completed', { duration: '125', price: '0.0125', rate: '0.006' }],
    ] as const) {
      expect((await vonage.event(sut.baseUrl, call, leg, status, extra)).status).toBe(200);
    }
    // Sent again (Vonage retries with a new token): 200, and nothing recorded twice.
    expect(await vonage.event(sut.baseUrl, call, customerLeg, 'completed', { duration: '125' })).toEqual({
      status: 200,
      body: { outcome: 'duplicate' },
    });

    expect(await steps(customer)).toEqual([
      'customer requested',
      'customer ringing',
      'customer answered',
      'agent ringing',
      'agent answered',
      'customer completed',
    ]);
    expect((await callEntries(customer)).at(-1)!.payload).toMatchObject({ durationSeconds: 125 });
    const options = (await (await asCustomer(customer, 'GET')).json()) as CallOptions;
    expect(options.call).toBeNull();
  });

  it('hangs the call up through Vonage when the customer cancels', async () => {
    const { customer, number, call, view } = await aRequestedCall();
    await vonage.event(sut.baseUrl, call, { uuid: call.uuid, to: number.slice(1) }, 'ringing');
    expect((await asCustomer(customer, 'DELETE', `/${view.id}`)).status).toBe(204);
    expect(vonage.hungUp).toContain(call.uuid);
    await vonage.event(sut.baseUrl, call, { uuid: call.uuid, to: number.slice(1) }, 'cancelled');
    expect(await steps(customer)).toEqual(['customer requested', 'customer ringing', 'customer cancelled']);
  });

  it('shows a call Vonage refused as failed, and lets the customer try again', async () => {
    const number = `+${aPhoneNumber()}`;
    const customer = await aCustomerWithAnOrder(sut, 'Dana Scully', { phone: number });
    vonage.failNextCreate(400);
    const response = await asCustomer(customer, 'POST');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'failed' });
    const failed = (await callEntries(customer)).at(-1)!;
    expect(failed.payload).toMatchObject({ status: 'failed', detail: "Vonage's Voice API answered 400" });
    expect(JSON.stringify(failed)).not.toMatch(/Bearer|eyJ/);
    expect((await asCustomer(customer, 'POST')).status).toBe(201);
  });

  it('calls from the browser: a Client SDK session, a token the answer URL takes once, and the agent called into the conversation', async () => {
    const customer = await aCustomerWithAnOrder(sut, 'Monica Reyes');
    const response = await fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ via: 'browser' }),
    });
    expect(response.status).toBe(201);
    const placed = (await response.json()) as PlacedCall;
    expect(placed).toMatchObject({ via: 'browser', phone: null, status: 'requested' });
    const claims = JSON.parse(Buffer.from(placed.session!.token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      application_id: string;
      acl: { paths: Record<string, unknown> };
    };
    const user = claims.sub;
    expect(vonage.users).toContain(user);
    expect(claims).toMatchObject({
      application_id: vonage.applicationId,
      sub: expect.stringMatching(/-caller-/),
    });
    expect(Object.keys(claims.acl.paths)).toContain('/*/legs/**');

    // Vonage asks the answer URL for the browser's leg, with our token in custom_data (a JSON string on GET).
    const answer = (token: string, uuid: string) =>
      fetch(
        `${sut.baseUrl}/webhooks/voice/answer?${new URLSearchParams({
          uuid,
          conversation_uuid: `CON-${uuid}`,
          from_user: user,
          custom_data: JSON.stringify({ callToken: token }),
        }).toString()}`,
      ).then(async (answered) => (await answered.json()) as Record<string, unknown>[]);
    const appLeg = crypto.randomUUID();
    const ncco = await answer(placed.session!.callToken, appLeg);
    expect(ncco).toEqual([
      expect.objectContaining({ action: 'talk' }),
      { action: 'conversation', name: `switchboard-call-${placed.id}`, startOnEnter: true, endOnExit: true },
    ]);
    expect(JSON.stringify(ncco)).not.toContain(agentPhone.slice(1));
    // Vonage asking again for the same leg (its first answer lost) gets the same NCCO; the agent is
    // called once. A signed request must verify.
    expect(await answer(placed.session!.callToken, appLeg)).toEqual(ncco);
    const forged = await fetch(`${sut.baseUrl}/webhooks/voice/answer?uuid=${appLeg}`, {
      headers: { authorization: `Bearer ${voiceWebhookToken('', { secret: 'not-the-secret' })}` },
    });
    expect(forged.status).toBe(401);
    // The token is spent; a forged one never worked: both get the support number's message.
    for (const spent of [placed.session!.callToken, `${placed.session!.callToken.slice(0, -4)}AAAA`]) {
      expect(await answer(spent, crypto.randomUUID())).toEqual([expect.objectContaining({ action: 'talk' })]);
    }

    // The agent's phone is called into the same conversation, reporting to this call's URL.
    const agentCall = await eventually(
      async () => vonage.created.find((created) => created.body.to[0]!.number === agentPhone.slice(1)),
      "the agent's call",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      vonage.created.filter((created) => created.body.to[0]!.number === agentPhone.slice(1)),
    ).toHaveLength(1);
    expect(agentCall.body.ncco).toEqual([
      { action: 'conversation', name: `switchboard-call-${placed.id}`, startOnEnter: true, endOnExit: true },
    ]);
    const agentLeg = { uuid: agentCall.uuid, to: agentPhone.slice(1) };
    expect((await vonage.event(sut.baseUrl, agentCall, agentLeg, 'ringing')).status).toBe(200);
    expect((await vonage.event(sut.baseUrl, agentCall, agentLeg, 'answered')).status).toBe(200);
    // The browser's leg reports to the application's event URL.
    const appEvent = (status: string, extra: Record<string, unknown> = {}) =>
      vonage.post(sut.baseUrl, '/webhooks/voice/events', {
        uuid: appLeg,
        conversation_uuid: `CON-${appLeg}`,
        status,
        from: user,
        ...extra,
      });
    expect(await appEvent('completed', { duration: '42' })).toEqual({
      status: 200,
      body: { outcome: 'recorded' },
    });
    expect(await steps(customer)).toEqual([
      'customer requested',
      'customer answered',
      'agent ringing',
      'agent answered',
      'customer completed',
    ]);
    expect((await callEntries(customer)).at(-1)!.payload).toMatchObject({ durationSeconds: 42 });
  });

  it('cancels a browser call the page could not place (no leg yet), so the customer can call again', async () => {
    const customer = await aCustomerWithAnOrder(sut, 'Jeffrey Spender');
    const ask = () =>
      fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ via: 'browser' }),
      });
    const placed = (await (await ask()).json()) as PlacedCall;
    expect((await asCustomer(customer, 'DELETE', `/${placed.id}`)).status).toBe(204);
    expect(await steps(customer)).toEqual(['customer requested', 'customer cancelled']);
    expect(((await (await asCustomer(customer, 'GET')).json()) as CallOptions).call).toBeNull();
    expect((await ask()).status).toBe(201);
    // The spent call's token binds nothing any more.
    const answer = await fetch(
      `${sut.baseUrl}/webhooks/voice/answer?${new URLSearchParams({
        uuid: crypto.randomUUID(),
        custom_data: JSON.stringify({ callToken: placed.session!.callToken }),
      }).toString()}`,
    );
    expect(await answer.json()).toEqual([expect.objectContaining({ action: 'talk' })]);
  });

  describe('refuses voice webhooks it cannot trust, and records nothing for them', () => {
    let customer: Customer;
    let call: CreatedCall;
    let view: CallView;
    let leg: { uuid: string; to: string };

    beforeAll(async () => {
      ({ customer, call, view } = await aRequestedCall());
      leg = { uuid: call.uuid, to: call.body.to[0]!.number };
    });

    const post = (path: string, body: string, authorization?: string) =>
      fetch(`${sut.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
    const eventPath = () => `/webhooks/voice/calls/${view.id}/events`;
    const ringing = () =>
      JSON.stringify({
        uuid: leg.uuid,
        conversation_uuid: call.conversationUuid,
        status: 'ringing',
        to: leg.to,
      });
    const nothingRecorded = async () => {
      expect(await steps(customer)).toEqual(['customer requested']);
      expect(await sut.db.query(`SELECT 1 FROM call_events WHERE call_id = $1`, [view.id])).toEqual([]);
    };

    it('unsigned → 401', async () => {
      const response = await post(eventPath(), ringing());
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        code: 'auth/unauthorized',
        message: expect.stringMatching(/Bearer/),
      });
      await nothingRecorded();
    });

    it('signed with another secret, or for another body, or long ago → 401', async () => {
      const body = ringing();
      const forged = await post(
        eventPath(),
        body,
        `Bearer ${voiceWebhookToken(body, { secret: 'not-the-secret' })}`,
      );
      expect(forged.status).toBe(401);
      const altered = await post(
        eventPath(),
        body.replace('ringing', 'answered'),
        `Bearer ${voiceWebhookToken(body, { applicationId: vonage.applicationId })}`,
      );
      expect(altered.status).toBe(401);
      expect(await altered.json()).toMatchObject({ message: expect.stringMatching(/payload_hash/) });
      const stale = await post(
        eventPath(),
        body,
        `Bearer ${voiceWebhookToken(body, { iat: Math.floor(Date.now() / 1000) - 3600 })}`,
      );
      expect(stale.status).toBe(401);
      await nothingRecorded();
    });

    it('an unknown call, another call’s conversation, or a leg of neither phone → 404', async () => {
      const body = ringing();
      const sign = (text: string) =>
        `Bearer ${voiceWebhookToken(text, { applicationId: vonage.applicationId })}`;
      expect((await post('/webhooks/voice/calls/999999999/events', body, sign(body))).status).toBe(404);
      const other = body.replace(call.conversationUuid, 'CON-00000000-0000-0000-0000-000000000000');
      expect((await post(eventPath(), other, sign(other))).status).toBe(404);
      const stranger = JSON.stringify({
        uuid: crypto.randomUUID(),
        conversation_uuid: call.conversationUuid,
        status: 'ringing',
        to: '447700900999',
      });
      expect((await post(eventPath(), stranger, sign(stranger))).status).toBe(404);
      await nothingRecorded();
    });

    it('a body over 1 MiB → 413, nothing recorded', async () => {
      const body = JSON.stringify({ uuid: leg.uuid, status: 'ringing', padding: 'x'.repeat(1_100_000) });
      const response = await post(
        eventPath(),
        body,
        `Bearer ${voiceWebhookToken(body, { applicationId: vonage.applicationId })}`,
      );
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'request/payload_too_large' });
      await nothingRecorded();
    });

    it('a body without uuid or status → 400 naming the fields', async () => {
      const body = JSON.stringify({ conversation_uuid: call.conversationUuid, duration: {} });
      const response = await post(
        eventPath(),
        body,
        `Bearer ${voiceWebhookToken(body, { applicationId: vonage.applicationId })}`,
      );
      expect(response.status).toBe(400);
      expect(
        ((await response.json()) as { errors: { field: string }[] }).errors.map((error) => error.field),
      ).toEqual(['uuid', 'status', 'duration']);
      await nothingRecorded();
    });

    it('the same signed webhook again → 409 the second time, recorded once', async () => {
      const body = ringing();
      const token = `Bearer ${voiceWebhookToken(body, { applicationId: vonage.applicationId })}`;
      expect((await post(eventPath(), body, token)).status).toBe(200);
      const replayed = await post(eventPath(), body, token);
      expect(replayed.status).toBe(409);
      expect(await replayed.json()).toMatchObject({ code: 'webhook/replayed' });
      expect(await steps(customer)).toEqual(['customer requested', 'customer ringing']);
    });
  });

  it('answers a call to the support number with where to write, and acknowledges its signed events only', async () => {
    const answer = await fetch(`${sut.baseUrl}/webhooks/voice/answer?from=447700900001&uuid=x`);
    expect(answer.status).toBe(200);
    const ncco = (await answer.json()) as { action: string; text: string }[];
    expect(ncco).toEqual([
      expect.objectContaining({ action: 'talk', text: expect.stringMatching(/text message/) }),
    ]);
    const body = JSON.stringify({ uuid: crypto.randomUUID(), status: 'started' });
    const post = (authorization?: string) =>
      fetch(`${sut.baseUrl}/webhooks/voice/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
    expect((await post()).status).toBe(401);
    const signed = await post(`Bearer ${voiceWebhookToken(body, { applicationId: vonage.applicationId })}`);
    expect(await signed.json()).toEqual({ outcome: 'ignored' });
  });

  it('has no sandbox phone routes with the real voice', async () => {
    expect((await fetch(`${sut.baseUrl}/api/sandbox/phones/447700900001/calls`)).status).toBe(404);
  });
});
