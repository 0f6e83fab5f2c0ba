import { beforeEach, describe, expect, it } from 'vitest';

import { aDetail } from '../../../console/testing/console-builders';
import { startTicketWorld } from '../../../console/testing/ticket-store';
import { jsonResponse, pendingResponse, type FetchRoute } from '../../../testing/fetch-stub';
import { useTicketStore } from '../ticket';

describe('useTicketLoading (through the ticket store)', () => {
  let serve: (routes: Record<string, FetchRoute>) => void;

  beforeEach(async () => {
    ({ serve } = await startTicketWorld());
  });

  it('loads a ticket, and says when there is none', async () => {
    serve({ 'GET /api/tickets/10': () => jsonResponse(aDetail()) });
    const sut = useTicketStore();

    await sut.open('10');
    expect(sut.status).toBe('ready');
    expect(sut.thread).toHaveLength(1);

    serve({
      'GET /api/tickets/99': () =>
        jsonResponse({ statusCode: 404, code: 'ticket/not_found', message: 'No ticket 99' }, 404),
    });
    await sut.open('99');
    expect(sut.status).toBe('error');
    expect(sut.error?.code).toBe('ticket/not_found');
  });

  it('keeps showing the loading state while the first load is in flight', async () => {
    serve({ 'GET /api/tickets/10': () => pendingResponse() });
    const sut = useTicketStore();

    void sut.open('10');

    expect(sut.status).toBe('loading');
    expect(sut.detail).toBeNull();
  });
});
