import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { aCustomer, aDetail, aMessage, anEntry, aSignIn } from '../../console/testing/console-builders';
import {
  jsonResponse,
  pendingResponse,
  routeFetch,
  stubFetch,
  type FetchMock,
  type FetchRoute,
} from '../../testing/fetch-stub';
import { useAgentSessionStore } from './session';
import { useTicketStore } from './ticket';
import { useToastStore } from './toasts';

describe('useTicketStore', () => {
  let fetchMock: FetchMock;

  beforeEach(async () => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    routeFetch(fetchMock, { 'POST /api/auth/login': () => jsonResponse(aSignIn()) });
    await useAgentSessionStore().signIn('grace@example.com', 'pw');
  });

  function serve(routes: Record<string, FetchRoute>): void {
    routeFetch(fetchMock, routes);
  }

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

  it('keeps showing the loading state while the first load is in flight', async () => {
    serve({ 'GET /api/tickets/10': () => pendingResponse() });
    const sut = useTicketStore();

    void sut.open('10');

    expect(sut.status).toBe('loading');
    expect(sut.detail).toBeNull();
  });
});
