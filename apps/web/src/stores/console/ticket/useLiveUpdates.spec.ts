import { beforeEach, describe, expect, it } from 'vitest';

import { aDetail, aMessage, anEntry } from '../../../console/testing/console-builders';
import { startTicketWorld } from '../../../console/testing/ticket-store';
import { jsonResponse, type FetchRoute } from '../../../testing/fetch-stub';
import { useTicketStore } from '../ticket';

describe('useLiveUpdates (through the ticket store)', () => {
  let serve: (routes: Record<string, FetchRoute>) => void;

  beforeEach(async () => {
    ({ serve } = await startTicketWorld());
  });

  it('merges live messages in seq order, once, and refetches after a gap', async () => {
    let fetches = 0;
    serve({
      'GET /api/tickets/10': () => {
        fetches += 1;
        return jsonResponse(aDetail());
      },
    });
    const sut = useTicketStore();
    await sut.open('10');

    const next = aMessage({ seq: 2 });
    sut.receive(next);
    sut.receive(next);
    sut.receive(aMessage({ seq: 2, conversationId: '11' }));

    expect(sut.thread.map((entry) => entry.seq)).toEqual([1, 2]);
    expect(sut.thread.at(-1)).toMatchObject({ direction: 'in' });
    expect(fetches).toBe(1);

    sut.receive(aMessage({ seq: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fetches).toBe(2);
  });

  it('moves the read marker to the last entry, once', async () => {
    const reads: unknown[] = [];
    serve({
      'GET /api/tickets/10': () =>
        jsonResponse(aDetail({ thread: [anEntry({ seq: 1 }), anEntry({ seq: 2 })] })),
      'POST /api/tickets/10/read': ({ init }) => {
        reads.push(JSON.parse(String(init.body)));
        return new Response(null, { status: 204 });
      },
    });
    const sut = useTicketStore();
    await sut.open('10');

    await sut.markRead();
    await sut.markRead();

    expect(reads).toEqual([{ seq: 2 }]);
    expect(sut.detail?.read.agent).toBe(2);
  });

  it('shows the customer typing until they stop or send', async () => {
    serve({ 'GET /api/tickets/10': () => jsonResponse(aDetail({ channel: 'chat' })) });
    const sut = useTicketStore();
    await sut.open('10');

    sut.typingChanged({ conversationId: '10', role: 'customer', name: null, typing: true });
    expect(sut.customerTyping).toBe(true);
    sut.receive(aMessage({ seq: 2 }));
    expect(sut.customerTyping).toBe(false);
  });
});
