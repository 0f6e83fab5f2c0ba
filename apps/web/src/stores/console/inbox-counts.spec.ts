import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { aSignIn } from '../../console/testing/console-builders';
import { jsonResponse, routeFetch, stubFetch, type FetchMock } from '../../testing/fetch-stub';
import { countLabel, useInboxCountsStore } from './inbox-counts';
import { useAgentSessionStore } from './session';

const counts = (unresolved: number) => ({
  unresolved: { count: Math.min(unresolved, 1000), exact: unresolved <= 1000 },
  mine: { count: 2, exact: true },
  unassigned: { count: 3, exact: true },
  unread: { count: 1, exact: true },
});

describe('useInboxCountsStore', () => {
  let fetchMock: FetchMock;
  let asked = 0;

  beforeEach(async () => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    asked = 0;
    routeFetch(fetchMock, {
      'POST /api/auth/login': () => jsonResponse(aSignIn()),
      'GET /api/tickets/counts': () => jsonResponse(counts(++asked * 10)),
    });
    await useAgentSessionStore().signIn('grace@example.com', 'pw');
  });

  afterEach(() => vi.useRealTimers());

  it('counts the whole desk, and refreshes once for a burst of changes', async () => {
    const sut = useInboxCountsStore();
    await sut.refresh();
    expect(sut.counts?.unresolved).toEqual({ count: 10, exact: true });

    vi.useFakeTimers();
    for (let change = 0; change < 20; change += 1) sut.changed();
    await vi.advanceTimersByTimeAsync(1_000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(sut.counts?.unresolved.count).toBe(20));
    expect(asked).toBe(2);
  });

  it('keeps the last counts when a refresh fails', async () => {
    const sut = useInboxCountsStore();
    await sut.refresh();
    routeFetch(fetchMock, {
      'GET /api/tickets/counts': () => jsonResponse({ statusCode: 503, code: 'x', message: 'Down' }, 503),
    });
    await sut.refresh();
    expect([sut.counts?.unresolved.count, sut.failed]).toEqual([10, true]);
  });
});

describe(countLabel.name, () => {
  it('says "1,000+" for a count the server stopped', () => {
    expect(countLabel({ count: 12, exact: true })).toBe('12');
    expect(countLabel({ count: 1000, exact: false })).toBe('1,000+');
  });
});
