import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { aPage, aSignIn, aSummary } from '../../console/testing/console-builders';
import { jsonResponse, routeFetch, stubFetch, type FetchMock } from '../../testing/fetch-stub';
import { useInboxStore } from './inbox';
import { useAgentSessionStore } from './session';

describe('useInboxStore', () => {
  let fetchMock: FetchMock;
  const listCalls: URLSearchParams[] = [];

  beforeEach(async () => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    listCalls.length = 0;
    routeFetch(fetchMock, { 'POST /api/auth/login': () => jsonResponse(aSignIn()) });
    await useAgentSessionStore().signIn('grace@example.com', 'pw');
  });

  function answerLists(answer: (query: URLSearchParams) => unknown): void {
    routeFetch(fetchMock, {
      'GET /api/tickets': ({ url, init }) => {
        expect(new Headers(init.headers).get('Authorization')).toBe('Bearer token-1');
        listCalls.push(url.searchParams);
        return jsonResponse(answer(url.searchParams));
      },
    });
  }

  it('loads unresolved tickets of every channel and assignee by default', async () => {
    answerLists(() => aPage([aSummary()]));
    const sut = useInboxStore();

    await sut.load();

    expect(sut.status).toBe('ready');
    expect(sut.items.map((ticket) => ticket.id)).toEqual(['10']);
    expect(Object.fromEntries(listCalls[0]!)).toEqual({ status: 'unresolved', pageSize: '50' });
    expect(sut.filtered).toBe(false);
  });

  it('sends the filters the agent chose', async () => {
    answerLists(() => aPage([]));
    const sut = useInboxStore();

    sut.setFilters({ status: 'resolved', channel: 'sms', assignee: 'me', q: ' parcel ' });
    await sut.load();

    expect(Object.fromEntries(listCalls.at(-1)!)).toMatchObject({
      status: 'resolved',
      channel: 'sms',
      assignee: 'me',
      q: 'parcel',
    });
    expect(sut.filtered).toBe(true);
  });

  it('keeps the error for the list to show', async () => {
    routeFetch(fetchMock, {
      'GET /api/tickets': () =>
        jsonResponse({ statusCode: 500, code: 'server/internal', message: 'Boom' }, 500),
    });
    const sut = useInboxStore();

    await sut.load();

    expect(sut.status).toBe('error');
    expect(sut.error?.message).toBe('Boom');
  });

  it('puts a ticket that changed at the top, as the server now sees it', async () => {
    const older = aSummary({ id: '1', lastActivityAt: '2026-03-01T10:00:00.000Z' });
    const newer = aSummary({ id: '2', lastActivityAt: '2026-03-02T10:00:00.000Z' });
    answerLists(() => aPage([newer, older]));
    const sut = useInboxStore();
    await sut.load();

    const moved = { ...older, lastActivityAt: '2026-03-03T10:00:00.000Z', unread: 3 };
    answerLists((query) => {
      expect(query.get('ticket')).toBe('1');
      expect(query.get('status')).toBe('unresolved');
      return aPage([moved]);
    });
    await sut.ticketChanged('1');

    expect(sut.items.map((ticket) => [ticket.id, ticket.unread])).toEqual([
      ['1', 3],
      ['2', 1],
    ]);
  });

  it('adds a new ticket live and drops one that no longer matches the filters', async () => {
    answerLists(() => aPage([aSummary({ id: '1' })]));
    const sut = useInboxStore();
    await sut.load();

    answerLists(() => aPage([aSummary({ id: '3', lastActivityAt: '2026-03-05T00:00:00.000Z' })]));
    await sut.ticketChanged('3');
    expect(sut.items.map((ticket) => ticket.id)).toEqual(['3', '1']);
    expect(sut.total).toBe(2);

    // Resolved: asked for with status=unresolved, it is not there.
    answerLists(() => aPage([]));
    await sut.ticketChanged('1');
    expect(sut.items.map((ticket) => ticket.id)).toEqual(['3']);
    expect(sut.total).toBe(1);
  });

  it('clears a badge at once when the agent reads the ticket', async () => {
    answerLists(() => aPage([aSummary({ unread: 2 })]));
    const sut = useInboxStore();
    await sut.load();

    sut.markedRead('10');

    expect(sut.items[0]!.unread).toBe(0);
    expect(sut.unreadTickets).toBe(0);
  });

  it('loads the next page from the cursor the last one gave, until there is none', async () => {
    answerLists((query) =>
      query.get('cursor') === 'after-2'
        ? aPage([aSummary({ id: '1' })], { total: 2 })
        : aPage([aSummary({ id: '2' })], { total: 2, nextCursor: 'after-2' }),
    );
    const sut = useInboxStore();
    await sut.load();
    expect(sut.hasMore).toBe(true);

    await sut.loadMore();

    expect(sut.items.map((ticket) => ticket.id)).toEqual(['2', '1']);
    expect(Object.fromEntries(listCalls.at(-1)!)).toMatchObject({ status: 'unresolved', cursor: 'after-2' });
    expect(sut.hasMore).toBe(false);
  });

  it('leaves a changed ticket that belongs below the loaded pages to those pages', async () => {
    answerLists(() =>
      aPage([aSummary({ id: '5', lastActivityAt: '2026-03-05T00:00:00.000Z' })], { nextCursor: 'c' }),
    );
    const sut = useInboxStore();
    await sut.load();

    answerLists(() => aPage([aSummary({ id: '1', lastActivityAt: '2026-03-01T00:00:00.000Z' })]));
    await sut.ticketChanged('1');

    expect(sut.items.map((ticket) => ticket.id)).toEqual(['5']);
  });

  it('keeps a count the server stopped at 1,000 as it is when tickets come and go', async () => {
    answerLists(() => aPage([aSummary({ id: '1' })], { total: 1000, totalExact: false }));
    const sut = useInboxStore();
    await sut.load();

    answerLists(() => aPage([aSummary({ id: '3', lastActivityAt: '2026-03-05T00:00:00.000Z' })]));
    await sut.ticketChanged('3');

    expect([sut.total, sut.totalExact]).toEqual([1000, false]);
  });
});
