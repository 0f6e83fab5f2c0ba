import { aPhoneNumber, deliver, inboundSms } from './support/sms-webhooks';
import { ChatClient, aCustomerWithAnOrder } from './support/chat-clients';
import { eventually } from './support/eventually';
import { startTestApp, type TestApp } from './support/test-app';

describe('GET /metrics', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { METRICS_TOKEN: 'a-prometheus-scrape-token' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  const scrape = async () =>
    (
      await fetch(`${sut.baseUrl}/metrics`, {
        headers: { authorization: 'Bearer a-prometheus-scrape-token' },
      })
    ).text();
  const value = (text: string, series: string) =>
    Number(
      text
        .split('\n')
        .find((line) => line.startsWith(`${series} `))
        ?.split(' ')[1] ?? NaN,
    );

  it('needs the METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${sut.baseUrl}/metrics`)).status).toBe(401);
  });

  it('counts webhooks with their latency, queue depth, sockets and SMS held back', async () => {
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: aPhoneNumber() }));
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: '' }));
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: '2348031234567' }));
    const customer = await aCustomerWithAnOrder(sut);
    const socket = await ChatClient.connect(sut.baseUrl, customer.accessToken);

    const text = await eventually(async () => {
      const body = await scrape();
      return value(body, 'switchboard_sockets_connected') === 1 ? body : undefined;
    }, 'the socket counted');
    socket.close();

    expect(value(text, 'switchboard_webhook_requests_total{webhook="inbound-sms",status="204"}')).toBe(2);
    expect(value(text, 'switchboard_webhook_requests_total{webhook="inbound-sms",status="400"}')).toBe(1);
    expect(value(text, 'switchboard_webhook_duration_seconds_count{webhook="inbound-sms"}')).toBe(3);
    expect(text).toMatch(/^switchboard_queue_depth\{queue="sms\.send"\} \d+$/m);
    expect(value(text, 'switchboard_sms_suppressed{reason="destination_blocked"}')).toBe(1);
    expect(text).toContain('switchboard_process_cpu_seconds_total');
    await eventually(async () => {
      const body = await scrape();
      return body.includes(
        'switchboard_provider_call_duration_seconds_count{provider="sandbox",operation="sms.send",outcome="ok"}',
      )
        ? true
        : undefined;
    }, 'the confirmation send timed');
  });
});
