import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Switchboard's Prometheus metrics, in a registry of its own (several apps in one test process must
 * not share the global one). What the operations issue asks for: webhook traffic and latency, queue
 * depth and job failures, provider calls, connected sockets, and SMS held back by the safety rules.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly webhookRequests = new Counter({
    name: 'switchboard_webhook_requests_total',
    help: 'Vonage webhooks answered, by webhook and HTTP status',
    labelNames: ['webhook', 'status'] as const,
    registers: [this.registry],
  });

  readonly webhookSeconds = new Histogram({
    name: 'switchboard_webhook_duration_seconds',
    help: 'Time to answer a Vonage webhook (stored before answering)',
    labelNames: ['webhook'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly smsInboundBatchSize = new Histogram({
    name: 'switchboard_sms_inbound_batch_size',
    help: 'Inbound SMS stored per database transaction (webhooks arriving together share one)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly chatSendBatchSize = new Histogram({
    name: 'switchboard_chat_send_batch_size',
    help: 'Chat messages stored per database statement (messages sent at the same moment share one)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly jobFailures = new Counter({
    name: 'switchboard_job_failures_total',
    help: 'Job attempts that failed (retried while the queue allows), by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly providerCalls = new Histogram({
    name: 'switchboard_provider_call_duration_seconds',
    help: 'Calls to Vonage, Brevo or their sandboxes, by provider, operation and outcome',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly socketsConnected = new Gauge({
    name: 'switchboard_sockets_connected',
    help: 'Chat and console sockets connected to this instance',
    registers: [this.registry],
  });

  /** Filled at scrape time by whoever owns the numbers (queue sizes, suppressed SMS). */
  readonly queueDepth = new Gauge({
    name: 'switchboard_queue_depth',
    help: 'Jobs waiting, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly smsSuppressed = new Gauge({
    name: 'switchboard_sms_suppressed',
    help: 'SMS held back (opt-out, caps, blocked destinations) in the last 24 hours, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly collectors: (() => Promise<void>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
  }

  /** Runs before each scrape. */
  onScrape(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map((collect) => collect().catch(() => undefined)));
    return this.registry.metrics();
  }

  /** Times a provider call and records its outcome, passing its result or error through. */
  async timeProviderCall<T>(provider: string, operation: string, call: () => Promise<T>): Promise<T> {
    const end = this.providerCalls.startTimer({ provider, operation });
    try {
      const result = await call();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }
}
