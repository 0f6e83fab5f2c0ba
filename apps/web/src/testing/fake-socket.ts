type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client socket to watch what the transport does with it. */
export class FakeSocket {
  connected = false;
  active = true;
  readonly emitted: { event: string; payload: unknown; volatile: boolean }[] = [];
  readonly handlers = new Map<string, Handler[]>();
  connectCalls = 0;
  disconnectCalls = 0;
  ack: (event: string, payload: unknown) => Promise<unknown> = async () => ({ ok: true, data: null });
  readonly volatile = {
    emit: (event: string, payload: unknown) => this.emitted.push({ event, payload, volatile: true }),
  };

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  timeout(_ms: number) {
    return {
      emitWithAck: (event: string, payload: unknown) => {
        this.emitted.push({ event, payload, volatile: false });
        return this.ack(event, payload);
      },
    };
  }

  connect(): this {
    this.connectCalls += 1;
    return this;
  }

  disconnect(): this {
    this.disconnectCalls += 1;
    this.connected = false;
    return this;
  }

  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }
}
