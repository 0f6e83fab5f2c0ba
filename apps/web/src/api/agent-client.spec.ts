import { describe, expect, it } from 'vitest';

import { fetchCall, jsonResponse, stubFetch } from '../testing/fetch-stub';
import { fetchTickets, patchTicket, resendSms } from './agent-client';

describe(fetchTickets.name, () => {
  it('asks for the filters that narrow the list, with the agent token', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockImplementation(async () =>
      jsonResponse({ items: [], total: 0, totalExact: true, nextCursor: null, page: 1, pageSize: 25 }),
    );

    await fetchTickets('tok-1', { status: 'unresolved', channel: 'all', assignee: 'anyone', q: '  ' });
    await fetchTickets('tok-1', {
      status: 'open',
      channel: 'sms',
      assignee: 'me',
      q: ' #12 ',
      cursor: 'abc',
    });

    expect(fetchCall(fetchMock, 0).url).toBe('/api/tickets?status=unresolved');
    expect(fetchCall(fetchMock, 0).init.headers).toMatchObject({ Authorization: 'Bearer tok-1' });
    expect(fetchCall(fetchMock, 1).url).toBe(
      '/api/tickets?status=open&channel=sms&assignee=me&q=%2312&cursor=abc',
    );
  });
});

describe(patchTicket.name, () => {
  it('patches the ticket with the change as JSON', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse({ id: '12' }));

    await patchTicket('tok-1', '12', { status: 'resolved' });

    expect(fetchCall(fetchMock)).toMatchObject({ url: '/api/tickets/12', method: 'PATCH' });
    expect(fetchCall(fetchMock).init.body).toBe('{"status":"resolved"}');
  });
});

describe(resendSms.name, () => {
  it('posts to the message of the ticket', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse({ id: 'm-2' }, 201));

    await resendSms('tok-1', '12', 'm-2');

    expect(fetchCall(fetchMock)).toMatchObject({
      url: '/api/tickets/12/messages/m-2/resend',
      method: 'POST',
    });
  });
});
