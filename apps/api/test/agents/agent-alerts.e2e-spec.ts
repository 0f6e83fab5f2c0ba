import {
  type AgentAvailability,
  ChatEvent,
  type SandboxPhoneMessage,
  type ThreadEntry,
} from '@switchboard/contracts';
import { AppConfig } from '../../src/config/app-config';
import { aSignedInAgent, type SignedInAgent } from '../support/agents';
import { aCustomerWithAnOrder, ChatClient, type Customer } from '../support/chat-clients';
import { eventually } from '../support/eventually';
import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Agents get an SMS when a customer opens their chat', () => {
  let sut: TestApp;
  let publicUrl: string;

  beforeAll(async () => {
    // Five automated SMS an hour to one number: a code and four alerts.
    sut = await startTestApp({
      env: { SMS_AUTO_PER_NUMBER_PER_HOUR: '5', AGENT_ALERT_COOLDOWN_MIN: '30', TRUST_PROXY: 'loopback' },
    });
    publicUrl = sut.app.get(AppConfig).publicUrl;
  });

  afterAll(async () => {
    await sut.close();
  });

  beforeEach(async () => {
    // Whoever an earlier test put on duty is off again: each test decides who is on duty.
    await sut.db.query(`UPDATE users SET on_duty = false`);
  });

  const api = (agent: SignedInAgent, method: string, path: string, body?: unknown) =>
    fetch(`${sut.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${agent.accessToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const phoneMessages = async (phone: string): Promise<SandboxPhoneMessage[]> => {
    const response = await fetch(`${sut.baseUrl}/api/sandbox/phones/${encodeURIComponent(phone)}/messages`);
    return ((await response.json()) as { messages: SandboxPhoneMessage[] }).messages;
  };

  const alertsOn = async (phone: string) =>
    (await phoneMessages(phone)).filter((message) => message.body.includes('is in the chat'));

  /** Asks for a code, reads it off the simulated phone, confirms it. */
  async function confirmMobile(agent: SignedInAgent, phone = `+${aPhoneNumber()}`): Promise<string> {
    const codesOn = async () =>
      (await phoneMessages(phone)).filter((message) => /^\d{6} is your/.test(message.body));
    // The phone may hold an earlier test's code (numbers repeat): this one is the newest, after those.
    const before = (await codesOn()).length;
    expect((await api(agent, 'POST', '/api/agents/me/mobile', { mobile: phone })).status).toBe(200);
    const code = await eventually(async () => {
      const codes = await codesOn();
      return codes.length > before ? codes.at(-1)!.body.slice(0, 6) : undefined;
    }, 'the code on the phone');
    const confirmed = await api(agent, 'POST', '/api/agents/me/mobile/confirm', { code });
    expect(confirmed.status).toBe(200);
    return phone;
  }

  async function onDutyAgent(name: string, phone?: string): Promise<{ agent: SignedInAgent; phone: string }> {
    const agent = await aSignedInAgent(sut, 'agent', name);
    const mobile = await confirmMobile(agent, phone);
    expect((await api(agent, 'PATCH', '/api/agents/me/availability', { onDuty: true })).status).toBe(200);
    return { agent, phone: mobile };
  }

  const thread = async (agent: SignedInAgent, ticketId: string): Promise<ThreadEntry[]> =>
    ((await (await api(agent, 'GET', `/api/tickets/${ticketId}`)).json()) as { thread: ThreadEntry[] })
      .thread;

  const alertEvents = async (agent: SignedInAgent, ticketId: string) =>
    (await thread(agent, ticketId)).filter((entry) => entry.payload.type === 'agent_alert');

  const availabilityOf = async (agent: SignedInAgent) =>
    (await (await api(agent, 'GET', '/api/agents/me/availability')).json()) as AgentAvailability;

  /** The customer opens the chat link again (a reload). */
  const reopen = (customer: Customer) =>
    fetch(`${sut.baseUrl}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        conversationId: customer.conversationId,
        token: new URL(customer.chatUrl).searchParams.get('token'),
      }),
    });

  /** As if the conversation's last alert was sent before the cooldown (and the hour the caps count). */
  const cooldownOver = (ticketId: string) =>
    sut.db.query(
      `UPDATE agent_sms SET created_at = created_at - interval '61 minutes' WHERE ticket_id = $1`,
      [ticketId],
    );

  /** Lets the alert jobs of what just happened run, so "nothing arrived" means nothing was sent. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));

  it('confirms a mobile with the code it received, and refuses a wrong code', async () => {
    const agent = await aSignedInAgent(sut, 'agent', 'Dana Scully');
    const phone = `+${aPhoneNumber()}`;

    const requested = (await (
      await api(agent, 'POST', '/api/agents/me/mobile', { mobile: phone })
    ).json()) as AgentAvailability;
    expect(requested).toMatchObject({ mobile: null, pendingMobile: phone, onDuty: false });
    const code = await eventually(async () => (await phoneMessages(phone))[0]?.body.slice(0, 6), 'the code');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

    const refused = await api(agent, 'POST', '/api/agents/me/mobile/confirm', { code: wrong });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      errors: [{ field: 'code', message: 'code is not the one we sent' }],
    });
    const confirmed = await api(agent, 'POST', '/api/agents/me/mobile/confirm', { code });
    expect(await confirmed.json()).toMatchObject({ mobile: phone, pendingMobile: null });
  });

  it('says how the code’s SMS fares: delivered, or not with the reason', async () => {
    const agent = await aSignedInAgent(sut, 'agent', 'Dana Scully');
    // The sandbox fails every SMS to a number ending in 0666; each test of this file its own.
    const unreachable = '+447700910666';

    const asked = (await (
      await api(agent, 'POST', '/api/agents/me/mobile', { mobile: unreachable })
    ).json()) as AgentAvailability;
    expect(asked.codeSms).toEqual({ status: 'queued', error: null });
    const failed = await eventually(async () => {
      const { codeSms } = await availabilityOf(agent);
      return codeSms?.status === 'failed' ? codeSms : undefined;
    }, 'the failed code');
    expect(failed.error).toBe('Delivery failed: absent subscriber (permanent) (err-code 3)');

    await api(agent, 'POST', '/api/agents/me/mobile', { mobile: `+${aPhoneNumber()}` });
    await eventually(
      async () => ((await availabilityOf(agent)).codeSms?.status === 'delivered' ? true : undefined),
      'the delivered code',
    );
  });

  it('refuses a number that is not a mobile we may text, or someone else’s', async () => {
    const agent = await aSignedInAgent(sut, 'agent', 'Dana Scully');
    const customerPhone = aPhoneNumber();
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: customerPhone }));
    await eventually(
      async () => ((await phoneMessages(`+${customerPhone}`)).length > 0 ? true : undefined),
      'the customer',
    );

    const cases: [unknown, number, string][] = [
      [{ mobile: 'call me' }, 400, 'mobile'],
      [{}, 400, 'mobile'],
      [{ mobile: '+12025550123' }, 400, 'mobile'], // outside SMS_ALLOWED_COUNTRIES (GB)
      [{ mobile: `+${customerPhone}` }, 409, 'mobile'],
    ];
    for (const [body, status, field] of cases) {
      const response = await api(agent, 'POST', '/api/agents/me/mobile', body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(((await response.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(field);
    }
    const noCode = await api(agent, 'POST', '/api/agents/me/mobile/confirm', { code: '123456' });
    expect(noCode.status).toBe(409);
    // Three codes an hour, sent at once or not.
    const asked = await Promise.all(
      [1, 2, 3, 4].map(() => api(agent, 'POST', '/api/agents/me/mobile', { mobile: `+${aPhoneNumber()}` })),
    );
    expect(asked.map((response) => response.status).sort()).toEqual([200, 200, 200, 429]);
    const badHours = await api(agent, 'PATCH', '/api/agents/me/availability', {
      quietHours: { from: '25:00', to: '07:00', timeZone: 'Mars/Olympus' },
    });
    expect(badHours.status).toBe(400);
  });

  it('texts the agent on duty once, however often the customer reloads, with a link to the ticket', async () => {
    const { phone } = await onDutyAgent('Dana Scully');

    const customer = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
    const [alert] = await eventually(async () => {
      const alerts = await alertsOn(phone);
      return alerts.length > 0 ? alerts : undefined;
    }, 'the alert');
    expect(alert).toMatchObject({
      direction: 'out',
      ticketId: customer.conversationId,
      body: `Ada Lovelace (order #${customer.orderId}) is in the chat: ${publicUrl}/agent/tickets/${customer.conversationId}`,
    });
    await eventually(
      async () => ((await alertsOn(phone))[0]?.status === 'delivered' ? true : undefined),
      'delivered',
    );

    expect((await reopen(customer)).status).toBe(200);
    expect((await reopen(customer)).status).toBe(200);
    await settle();
    expect(await alertsOn(phone)).toHaveLength(1);
  });

  it('texts the assignee when they are on duty, otherwise every agent on duty', async () => {
    const dana = await onDutyAgent('Dana Scully');
    const fox = await onDutyAgent('Fox Mulder');

    const unassigned = await aCustomerWithAnOrder(sut, 'Grace Hopper');
    await eventually(async () => ((await alertsOn(dana.phone)).length === 1 ? true : undefined), 'Dana');
    await eventually(async () => ((await alertsOn(fox.phone)).length === 1 ? true : undefined), 'Fox');

    // A ticket assigned to Fox: only Fox hears of it.
    const assigned = await aCustomerWithAnOrder(sut, 'Alan Turing');
    await settle();
    await cooldownOver(assigned.conversationId);
    const assign = await api(dana.agent, 'PATCH', `/api/tickets/${assigned.conversationId}`, {
      assigneeId: fox.agent.id,
    });
    expect(assign.status).toBe(200);
    await reopen(assigned);
    await eventually(async () => ((await alertsOn(fox.phone)).length === 3 ? true : undefined), 'Fox again');
    await settle();
    // Dana: the unassigned chat, and the other one's first alert, from before it was assigned.
    const danas = (await alertsOn(dana.phone)).map((sms) => sms.ticketId);
    expect(danas.sort()).toEqual([unassigned.conversationId, assigned.conversationId].sort());
  });

  it('alerts nobody, and writes nothing, when nobody is on duty with a mobile', async () => {
    const agent = await aSignedInAgent(sut, 'agent', 'Walter Skinner');

    const customer = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
    await settle();

    expect(await alertEvents(agent, customer.conversationId)).toEqual([]);
    const [{ count }] = (await sut.db.query(
      `SELECT count(*)::int AS count FROM agent_sms WHERE ticket_id = $1`,
      [customer.conversationId],
    )) as [{ count: number }];
    expect(count).toBe(0);
  });

  it('holds the alert back in the thread only agents see: never in the customer’s chat, then or live', async () => {
    const { agent, phone } = await onDutyAgent('Walter Skinner');
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone.slice(1), text: 'STOP' }));
    await eventually(async () => ((await availabilityOf(agent)).smsStopped ? true : undefined), 'the STOP');
    const reason = 'No agent on duty can take an SMS now (Walter Skinner: texted STOP)';

    const customer = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
    const [held] = await eventually(async () => {
      const events = await alertEvents(agent, customer.conversationId);
      return events.length > 0 ? events : undefined;
    }, 'the event');
    expect(held).toMatchObject({
      kind: 'event',
      internal: true,
      payload: { type: 'agent_alert', outcome: 'held', reason },
    });

    const view = (await (
      await fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}`, {
        headers: { authorization: `Bearer ${customer.accessToken}` },
      })
    ).json()) as { messages: { payload: { type?: string } }[] };
    expect(view.messages.map((message) => message.payload.type)).toEqual(['order-confirm']);
    const customerSocket = await ChatClient.connect(sut.baseUrl, customer.accessToken);
    const agentSocket = await ChatClient.connect(sut.baseUrl, agent.accessToken, { inbox: false });
    try {
      const joined = await customerSocket.join(customer.conversationId);
      expect(joined.ok && joined.data.messages.map((message) => message.payload.type)).toEqual([
        'order-confirm',
      ]);
      await agentSocket.join(customer.conversationId);

      // The customer comes back after the cooldown: the agents' socket hears of the held alert live, the customer's does not.
      await cooldownOver(customer.conversationId);
      await reopen(customer);
      await eventually(
        async () =>
          agentSocket.received.some((message) => message.payload.type === 'agent_alert') ? true : undefined,
        'the agents’ copy',
      );
      expect(customerSocket.received).toEqual([]);
    } finally {
      customerSocket.close();
      agentSocket.close();
    }
  });

  it('passes over agents in their quiet hours and phones that texted STOP, and says so', async () => {
    const quiet = await onDutyAgent('Dana Scully');
    const hour = new Date().getUTCHours();
    const at = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    await api(quiet.agent, 'PATCH', '/api/agents/me/availability', {
      quietHours: { from: at(hour - 1), to: at(hour + 1), timeZone: 'UTC' },
    });
    const stopped = await onDutyAgent('Fox Mulder');
    await deliver(
      sut.baseUrl,
      '/webhooks/inbound-sms',
      inboundSms({ msisdn: stopped.phone.slice(1), text: 'STOP' }),
    );
    await eventually(async () => {
      return (await availabilityOf(stopped.agent)).smsStopped ? true : undefined;
    }, 'the STOP');

    const customer = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
    const [held] = await eventually(async () => {
      const events = await alertEvents(quiet.agent, customer.conversationId);
      return events.length > 0 ? events : undefined;
    }, 'the event');
    expect(held?.payload.reason).toBe(
      'No agent on duty can take an SMS now (Dana Scully: quiet hours; Fox Mulder: texted STOP)',
    );
    expect(await alertsOn(quiet.phone)).toHaveLength(0);
    expect(await alertsOn(stopped.phone)).toHaveLength(0);
  });

  it('alerts nobody while an agent has the ticket open, or wrote in the chat lately', async () => {
    const { agent, phone } = await onDutyAgent('Dana Scully');
    const viewer = await ChatClient.connect(sut.baseUrl, agent.accessToken, { inbox: false });
    try {
      // A chat the agent is looking at when the customer comes back to it.
      const watched = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
      await eventually(
        async () => ((await alertsOn(phone)).length === 1 ? true : undefined),
        'the first alert',
      );
      await cooldownOver(watched.conversationId);
      expect(await viewer.request(ChatEvent.View, { ticketId: watched.conversationId })).toEqual({
        ok: true,
        data: null,
      });
      await reopen(watched);

      // A chat the agent answered a moment ago.
      const answered = await aCustomerWithAnOrder(sut, 'Grace Hopper');
      await eventually(
        async () => ((await alertsOn(phone)).length === 2 ? true : undefined),
        'the second alert',
      );
      await cooldownOver(answered.conversationId);
      await viewer.join(answered.conversationId);
      expect((await viewer.send(answered.conversationId, 'Hello Grace, how can I help?')).ok).toBe(true);
      await reopen(answered);

      await settle();
      expect(await alertsOn(phone)).toHaveLength(2);
      expect(await alertEvents(agent, watched.conversationId)).toEqual([]);
      expect(await alertEvents(agent, answered.conversationId)).toEqual([]);
    } finally {
      viewer.close();
    }
  });

  it('counts alerts against the automated-SMS caps, and shows a failed one in the thread', async () => {
    // An unreachable phone (…0666 in the sandbox): the alert goes out, its receipt says it failed.
    const unreachable = await onDutyAgent('Fox Mulder', '+447700920666');
    const first = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
    const [failed] = await eventually(async () => {
      const events = await alertEvents(unreachable.agent, first.conversationId);
      return events.length > 0 ? events : undefined;
    }, 'the failure');
    expect(failed).toMatchObject({
      internal: true,
      payload: {
        outcome: 'failed',
        reason: expect.stringMatching(/^Not sent to Fox Mulder: Delivery failed/),
      },
    });

    // The code, then four alerts: the fifth conversation's is held back by SMS_AUTO_PER_NUMBER_PER_HOUR.
    const { agent, phone } = await onDutyAgent('Dana Scully');
    await sut.db.query(`UPDATE users SET on_duty = false WHERE id = $1`, [unreachable.agent.id]);
    const customers: Customer[] = [];
    for (let i = 0; i < 5; i++) customers.push(await aCustomerWithAnOrder(sut, `Customer ${i}`));
    // Which of the five is held back depends on the order the jobs ran in; exactly one is.
    const held = await eventually(async () => {
      const events = (await Promise.all(customers.map((c) => alertEvents(agent, c.conversationId)))).flat();
      return events.length > 0 ? events : undefined;
    }, 'the held alert');
    await settle();
    expect(held).toHaveLength(1);
    expect(held[0]?.payload.reason).toBe(
      'Not sent to Dana Scully: this number already got 5 automated SMS in the last hour (SMS_AUTO_PER_NUMBER_PER_HOUR)',
    );
    expect(await alertsOn(phone)).toHaveLength(4);
  });

  it('behaves as one desk on two instances: a viewer on the other keeps the alert back; reloads on both send one', async () => {
    const second = await startTestApp({ db: sut.db, env: { TRUST_PROXY: 'loopback' } });
    try {
      const { agent, phone } = await onDutyAgent('Dana Scully');

      // Opened through both instances at once: one alert.
      const customer = await aCustomerWithAnOrder(sut, 'Ada Lovelace');
      const token = new URL(customer.chatUrl).searchParams.get('token');
      const body = JSON.stringify({ conversationId: customer.conversationId, token });
      const open = (app: TestApp) =>
        fetch(`${app.baseUrl}/api/chat/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      await Promise.all([open(second), open(sut), open(second)]);
      await eventually(async () => ((await alertsOn(phone)).length === 1 ? true : undefined), 'the alert');

      // The agent looks at the chat through the second instance; the customer comes back through the
      // first. (An instance counts another's sockets once it has heard its heartbeat: every 5 s.)
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const viewer = await ChatClient.connect(second.baseUrl, agent.accessToken, { inbox: false });
      try {
        expect(await viewer.request(ChatEvent.View, { ticketId: customer.conversationId })).toEqual({
          ok: true,
          data: null,
        });
        await cooldownOver(customer.conversationId);
        await open(sut);
        await settle();
        expect(await alertsOn(phone)).toHaveLength(1);
      } finally {
        viewer.close();
      }
    } finally {
      await second.close();
    }
  });
});
