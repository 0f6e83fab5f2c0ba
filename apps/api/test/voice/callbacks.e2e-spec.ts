import type { CallOptions, CallView, ChatMessage, SandboxCall, ThreadEntry } from '@switchboard/contracts';
import { anAgent, aCustomerWithAnOrder, type Customer } from '../support/chat-clients';
import { eventually } from '../support/eventually';
import { aPhoneNumber } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';

/** Call me back, in the sandbox: the simulated network rings the simulated phones, events come through the webhook. */
describe('Call me back (sandbox)', () => {
  let sut: TestApp;
  let agent: { id: string; accessToken: string };
  let agentPhone: string;

  beforeAll(async () => {
    sut = await startTestApp({ env: { VOICE_CALLS_PER_HOUR: '2' } });
    agent = await anAgent(sut, 'Fox Mulder');
    agentPhone = `+${aPhoneNumber()}`;
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    await sut.db.query(`UPDATE users SET on_duty = false WHERE role <> 'customer'`);
    await sut.db.query(`UPDATE users SET on_duty = true, phone = $2 WHERE id = $1`, [agent.id, agentPhone]);
  });

  const asCustomer = (customer: Customer, method: string, path = '', body?: unknown) =>
    fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}/calls${path}`, {
      method,
      headers: {
        authorization: `Bearer ${customer.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const options = async (customer: Customer) =>
    (await (await asCustomer(customer, 'GET')).json()) as CallOptions;

  /** Until the conversation has no call going on (its end was reported). */
  const callOver = (customer: Customer) =>
    eventually(async () => (await options(customer)).call === null || undefined, 'the call over');

  const phone = {
    calls: async (number: string) =>
      (await (
        await fetch(`${sut.baseUrl}/api/sandbox/phones/${encodeURIComponent(number)}/calls`)
      ).json()) as SandboxCall[],
    ringing: (number: string) =>
      eventually(
        async () => (await phone.calls(number)).find((call) => call.status === 'ringing'),
        `${number} ringing`,
      ),
    press: (call: SandboxCall, button: 'answer' | 'decline' | 'hang-up') =>
      fetch(`${sut.baseUrl}/api/sandbox/calls/${call.id}/${button}`, { method: 'POST' }),
  };

  const callEvents = async (customer: Customer) => {
    const response = await fetch(`${sut.baseUrl}/api/tickets/${customer.conversationId}`, {
      headers: { authorization: `Bearer ${agent.accessToken}` },
    });
    return ((await response.json()) as { thread: ThreadEntry[] }).thread
      .filter((entry) => entry.payload.type === 'call')
      .map((entry) => `${String(entry.payload.leg)} ${String(entry.payload.status)}`);
  };

  const aCustomerWithAPhone = async () => {
    const number = `+${aPhoneNumber()}`;
    return { customer: await aCustomerWithAnOrder(sut, 'Dana Scully', { phone: number }), number };
  };

  it('calls the customer, connects them to the agent on duty, and the thread shows the call with its length', async () => {
    const { customer, number } = await aCustomerWithAPhone();
    expect(await options(customer)).toEqual({
      available: true,
      reason: null,
      phone: number,
      call: null,
      browser: 'sandbox',
    });

    const requested = await asCustomer(customer, 'POST');
    expect(requested.status).toBe(201);
    expect((await requested.json()) as CallView).toMatchObject({ status: 'requested', phone: number });

    const customerRings = await phone.ringing(number);
    expect(customerRings.from).toBe('+447700900000');
    expect((await phone.press(customerRings, 'answer')).status).toBe(204);
    const agentRings = await phone.ringing(agentPhone);
    expect((await phone.press(agentRings, 'answer')).status).toBe(204);
    await eventually(
      async () => (await options(customer)).call?.status === 'connected' || undefined,
      'connected',
    );

    expect((await phone.press(customerRings, 'hang-up')).status).toBe(204);
    await callOver(customer);
    expect(await callEvents(customer)).toEqual([
      'customer requested',
      'customer ringing',
      'customer answered',
      'agent ringing',
      'agent answered',
      'customer completed',
    ]);
    // The customer sees the same steps in their chat.
    const view = (await (
      await fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}`, {
        headers: { authorization: `Bearer ${customer.accessToken}` },
      })
    ).json()) as { messages: ChatMessage[] };
    const ended = view.messages.filter((message) => message.payload.type === 'call').at(-1)!;
    expect(ended.payload).toMatchObject({ status: 'completed', leg: 'customer', agentName: 'Fox Mulder' });
    expect(typeof ended.payload.durationSeconds).toBe('number');
    expect(await phone.calls(number)).toEqual([expect.objectContaining({ status: 'completed' })]);
  });

  it('tells the customer when the agent does not take the call, and the call ends', async () => {
    const { customer, number } = await aCustomerWithAPhone();
    expect((await asCustomer(customer, 'POST')).status).toBe(201);
    await phone.press(await phone.ringing(number), 'answer');
    expect((await phone.press(await phone.ringing(agentPhone), 'decline')).status).toBe(204);
    await callOver(customer);
    expect(await callEvents(customer)).toEqual([
      'customer requested',
      'customer ringing',
      'customer answered',
      'agent ringing',
      'agent busy',
      'customer completed',
    ]);
  });

  it('records a declined call as busy, and a cancelled one as cancelled', async () => {
    const { customer, number } = await aCustomerWithAPhone();
    const first = (await (await asCustomer(customer, 'POST')).json()) as CallView;
    expect((await asCustomer(customer, 'POST')).status).toBe(409); // one at a time
    await phone.press(await phone.ringing(number), 'decline');
    await callOver(customer);

    const second = (await (await asCustomer(customer, 'POST')).json()) as CallView;
    expect(second.id).not.toBe(first.id);
    await phone.ringing(number);
    expect((await asCustomer(customer, 'DELETE', `/${second.id}`)).status).toBe(204);
    await callOver(customer);
    expect(await callEvents(customer)).toEqual([
      'customer requested',
      'customer ringing',
      'customer busy',
      'customer requested',
      'customer ringing',
      'customer cancelled',
    ]);

    // VOICE_CALLS_PER_HOUR=2: a third call within the hour is refused, and nothing is placed.
    const third = await asCustomer(customer, 'POST');
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'call/limit_reached' });
    expect(await phone.calls(number)).not.toContainEqual(expect.objectContaining({ status: 'ringing' }));
  });

  it('calls from the browser: the simulated browser leg joins a conversation the agent’s phone is called into', async () => {
    // No number on record: a browser call needs none.
    const customer = await aCustomerWithAnOrder(sut, 'Monica Reyes');
    const placed = await asCustomer(customer, 'POST', '', { via: 'browser' });
    expect(placed.status).toBe(201);
    expect(await placed.json()).toMatchObject({ via: 'browser', phone: null, session: null });

    const agentRings = await phone.ringing(agentPhone);
    expect((await phone.press(agentRings, 'answer')).status).toBe(204);
    await eventually(
      async () => (await options(customer)).call?.status === 'connected' || undefined,
      'connected',
    );
    const call = (await options(customer)).call!;
    expect((await asCustomer(customer, 'DELETE', `/${call.id}`)).status).toBe(204);
    await callOver(customer);
    expect(await callEvents(customer)).toEqual([
      'customer requested',
      'customer answered',
      'agent ringing',
      'agent answered',
      'customer completed',
    ]);
    expect(await phone.calls(agentPhone)).toContainEqual(expect.objectContaining({ status: 'completed' }));
  });

  it('ends a browser call the agent declines, saying so', async () => {
    const customer = await aCustomerWithAnOrder(sut, 'John Doggett');
    expect((await asCustomer(customer, 'POST', '', { via: 'browser' })).status).toBe(201);
    await phone.press(await phone.ringing(agentPhone), 'decline');
    await callOver(customer);
    expect(await callEvents(customer)).toEqual([
      'customer requested',
      'customer answered',
      'agent ringing',
      'agent busy',
      'customer completed',
    ]);
  });

  it('refuses a body that says neither phone nor browser', async () => {
    const { customer } = await aCustomerWithAPhone();
    const refused = await asCustomer(customer, 'POST', '', { via: 'pigeon' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      errors: [{ field: 'via', message: 'via must be phone or browser' }],
    });
  });

  it('offers no call without an agent on duty, or without a number of the customer’s own', async () => {
    const { customer } = await aCustomerWithAPhone();
    await sut.db.query(`UPDATE users SET on_duty = false WHERE id = $1`, [agent.id]);
    expect(await options(customer)).toMatchObject({
      available: false,
      reason: expect.stringMatching(/No agent/),
    });
    expect(await (await asCustomer(customer, 'POST')).json()).toMatchObject({ code: 'call/unavailable' });

    await sut.db.query(`UPDATE users SET on_duty = true WHERE id = $1`, [agent.id]);
    const withoutPhone = await aCustomerWithAnOrder(sut, 'Walter Skinner');
    expect(await options(withoutPhone)).toMatchObject({ available: true, phone: null });
    const refused = await asCustomer(withoutPhone, 'POST');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'call/no_phone' });
    expect(await callEvents(withoutPhone)).toEqual([]);
  });

  it('never calls a number outside SMS_ALLOWED_COUNTRIES', async () => {
    const customer = await aCustomerWithAnOrder(sut, 'Jean Dupont', { phone: '+33612345678' });
    const refused = await asCustomer(customer, 'POST');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'call/destination_blocked' });
    expect(await phone.calls('+33612345678')).toEqual([]);
  });

  it('lets a customer reach only their own conversation’s calls', async () => {
    const { customer } = await aCustomerWithAPhone();
    const { customer: other } = await aCustomerWithAPhone();
    const response = await fetch(`${sut.baseUrl}/api/chat/conversations/${other.conversationId}/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.accessToken}` },
    });
    expect(response.status).toBe(403);
    expect(await callEvents(other)).toEqual([]);
  });
});
