import { beforeEach, describe, expect, it } from 'vitest';

import { aCustomer, aDetail, anEntry } from '../../../console/testing/console-builders';
import { startTicketWorld } from '../../../console/testing/ticket-store';
import { jsonResponse, type FetchRoute } from '../../../testing/fetch-stub';
import { useTicketStore } from '../ticket';

describe('useReplies (through the ticket store)', () => {
  let serve: (routes: Record<string, FetchRoute>) => void;

  beforeEach(async () => {
    ({ serve } = await startTicketWorld());
  });

  it('shows a reply at once, then as the API stored it (queued)', async () => {
    serve({ 'GET /api/tickets/10': () => jsonResponse(aDetail()) });
    const sut = useTicketStore();
    await sut.open('10');
    let answer!: (response: Response) => void;
    let sent: Record<string, unknown> = {};
    serve({
      'POST /api/tickets/10/messages': ({ init }) => {
        sent = JSON.parse(String(init.body));
        return new Promise<Response>((resolve) => (answer = resolve));
      },
    });

    const sending = sut.send('We are on it');
    expect(sut.pending).toMatchObject([{ body: 'We are on it', state: 'sending' }]);
    answer(jsonResponse(anEntry({ seq: 2, direction: 'out', body: 'We are on it', status: 'queued' }), 201));
    await sending;

    expect(sent).toEqual({ body: 'We are on it', clientId: expect.any(String) });
    expect(sut.pending).toEqual([]);
    expect(sut.thread.at(-1)).toMatchObject({ body: 'We are on it', status: 'queued' });
    expect(sut.detail?.lastMessage).toMatchObject({ body: 'We are on it', direction: 'out' });
  });

  it('keeps a refused reply with the reason, and learns the customer opted out', async () => {
    let optedOut = false;
    serve({
      'GET /api/tickets/10': () =>
        jsonResponse(
          aDetail({ customer: aCustomer({ smsOptedOutAt: optedOut ? '2026-03-02T09:00:00.000Z' : null }) }),
        ),
      'POST /api/tickets/10/messages': () => {
        optedOut = true;
        return jsonResponse(
          { statusCode: 409, code: 'sms/recipient_opted_out', message: 'The customer opted out' },
          409,
        );
      },
    });
    const sut = useTicketStore();
    await sut.open('10');

    await sut.send('Hello?');
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(sut.pending).toMatchObject([
      { state: 'failed', error: 'Not sent: the customer opted out of SMS.' },
    ]);
    expect(sut.optedOut).toBe(true);

    sut.discard(sut.pending[0]!.clientId);
    expect(sut.pending).toEqual([]);
    expect(sut.draftFor('10')).toBe('Hello?');
  });

  it('keeps one draft per ticket', async () => {
    const sut = useTicketStore();
    sut.setDraft('10', 'half a thought');
    sut.setDraft('11', 'other');

    expect(sut.draftFor('10')).toBe('half a thought');
    sut.setDraft('10', '');
    expect(sut.draftFor('10')).toBe('');
    expect(sut.draftFor('11')).toBe('other');
  });
});
