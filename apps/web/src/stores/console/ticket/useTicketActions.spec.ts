import { beforeEach, describe, expect, it } from 'vitest';

import { aDetail, anEntry } from '../../../console/testing/console-builders';
import { startTicketWorld } from '../../../console/testing/ticket-store';
import { jsonResponse, type FetchRoute } from '../../../testing/fetch-stub';
import { useTicketStore } from '../ticket';
import { useToastStore } from '../toasts';

describe('useTicketActions (through the ticket store)', () => {
  let serve: (routes: Record<string, FetchRoute>) => void;

  beforeEach(async () => {
    ({ serve } = await startTicketWorld());
  });

  it('resends a failed SMS as a new message', async () => {
    const failed = anEntry({ seq: 2, direction: 'out', status: 'failed', error: 'Delivery failed' });
    serve({
      'GET /api/tickets/10': () => jsonResponse(aDetail({ thread: [anEntry({ seq: 1 }), failed] })),
      [`POST /api/tickets/10/messages/${failed.id}/resend`]: () =>
        jsonResponse(anEntry({ seq: 3, direction: 'out', status: 'queued', body: failed.body }), 201),
    });
    const sut = useTicketStore();
    await sut.open('10');

    await sut.resend(failed.id);

    expect(sut.thread.map((entry) => entry.status)).toEqual(['received', 'failed', 'queued']);
    expect(sut.resent.has(failed.id)).toBe(true);
  });

  it('resolves and takes the ticket; a refusal becomes an error notice', async () => {
    const patches: unknown[] = [];
    serve({
      'GET /api/tickets/10': () => jsonResponse(aDetail()),
      'PATCH /api/tickets/10': ({ init }) => {
        const change = JSON.parse(String(init.body)) as { status?: string };
        patches.push(change);
        if (change.status === 'open') {
          return jsonResponse(
            { statusCode: 409, code: 'request/validation_failed', message: 'Another open ticket' },
            409,
          );
        }
        return jsonResponse(aDetail({ status: 'resolved' }));
      },
    });
    const sut = useTicketStore();
    await sut.open('10');

    await sut.setStatus('resolved');
    expect(sut.detail?.status).toBe('resolved');
    await sut.assignToMe();
    await sut.setStatus('open');

    expect(patches).toEqual([{ status: 'resolved' }, { assigneeId: '1' }, { status: 'open' }]);
    expect(useToastStore().toasts).toMatchObject([
      { tone: 'error', title: 'Could not reopen the ticket', body: 'Another open ticket' },
    ]);
    expect(sut.updating).toBeNull();
  });
});
