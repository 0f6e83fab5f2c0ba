import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Sits between the app and the Vonage emulator and can hold Vonage's answers back: the emulator has
 * accepted the SMS (its message id is known) but our send call has not returned yet. That is the
 * moment a delivery receipt can overtake the send (provider-contracts §4).
 */
export interface VonageAnswerGate {
  /** Use as VONAGE_REST_HOST. */
  url: string;
  /** From now on, answers wait until release(). */
  hold(): void;
  /** Lets every withheld answer go, and later ones straight through. */
  release(): void;
  /** How many answers are being withheld. */
  readonly withheld: number;
  close(): Promise<void>;
}

export async function startVonageAnswerGate(emulatorUrl: string): Promise<VonageAnswerGate> {
  let holding = false;
  let waiting: (() => void)[] = [];

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const answer = await fetch(`${emulatorUrl}${request.url ?? '/'}`, {
        method: request.method,
        headers: forwardedHeaders(request),
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
      });
      const answerBody = Buffer.from(await answer.arrayBuffer());
      if (holding) await new Promise<void>((resolve) => waiting.push(resolve));
      response
        .writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
          'content-length': answerBody.length,
        })
        .end(answerBody);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      const released = waiting;
      waiting = [];
      released.forEach((resolve) => resolve());
    },
    get withheld() {
      return waiting.length;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        holding = false;
        waiting.forEach((resolve) => resolve());
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function forwardedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) continue;
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
