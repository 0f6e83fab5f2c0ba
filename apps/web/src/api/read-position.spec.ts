import { afterEach, describe, expect, it } from 'vitest';

import { fetchCall, jsonResponse, stubFetch } from '../testing/fetch-stub';
import { fetchTickets, patchTicket } from './agent-client';
import { fetchSiteInfo } from './site';
import { forgetPosition, lastSeenPosition, sawPosition } from './read-position';

describe('read positions', () => {
  afterEach(() => forgetPosition());

  it('keeps the furthest position seen, comparing them as numbers', () => {
    sawPosition('9/FFFFFFFF');
    sawPosition('A/0');
    sawPosition('9/FFFFFFFE');
    sawPosition('not a position');
    sawPosition(null);
    expect(lastSeenPosition()).toBe('A/0');
  });

  it("sends the position of the agent's last write with the console's next reads, and with no other", async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse({ id: '12' }, 200, { 'X-Position': '16/B374D848' }));
    fetchMock.mockImplementation(async () =>
      jsonResponse({ items: [], total: 0, totalExact: true, nextCursor: null, page: 1, pageSize: 25 }),
    );

    await patchTicket('tok-1', '12', { status: 'resolved' });
    await fetchTickets('tok-1', { status: 'unresolved', channel: 'all', assignee: 'anyone', q: '' });
    await fetchSiteInfo().catch(() => undefined);

    expect(fetchCall(fetchMock, 0).init.headers).not.toHaveProperty('X-Read-After');
    expect(fetchCall(fetchMock, 1).init.headers).toMatchObject({ 'X-Read-After': '16/B374D848' });
    expect(fetchCall(fetchMock, 2).init.headers).not.toHaveProperty('X-Read-After');
  });
});
