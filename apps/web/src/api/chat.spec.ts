import { describe, expect, it } from 'vitest';

import { aChatSession, aConversation } from '../testing/chat';
import { fetchCall, jsonResponse, stubFetch } from '../testing/fetch-stub';
import { createChatSession, fetchConversation } from './chat';

describe(createChatSession.name, () => {
  it('posts the link to /api/chat/session and returns the session', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse(aChatSession()));

    await expect(createChatSession({ conversationId: '7', token: 't' })).resolves.toEqual(aChatSession());
    expect(fetchCall(fetchMock)).toMatchObject({ url: '/api/chat/session', method: 'POST' });
    expect(fetchCall(fetchMock).init.body).toBe('{"conversationId":"7","token":"t"}');
  });

  it('treats an answer without an access token as unexpected', async () => {
    stubFetch().mockResolvedValueOnce(jsonResponse({ conversationId: '7' }));

    await expect(createChatSession({ conversationId: '7', token: 't' })).rejects.toMatchObject({
      code: 'client/unexpected_response',
    });
  });
});

describe(fetchConversation.name, () => {
  it('asks with the bearer token, and for a page before a seq when told', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockImplementation(async () => jsonResponse(aConversation()));

    await fetchConversation('7', 'session-1');
    await fetchConversation('7', 'session-1', { beforeSeq: 101, limit: 50 });

    expect(fetchCall(fetchMock, 0).url).toBe('/api/chat/conversations/7');
    expect(fetchCall(fetchMock, 0).init.headers).toMatchObject({ Authorization: 'Bearer session-1' });
    expect(fetchCall(fetchMock, 1).url).toBe('/api/chat/conversations/7?limit=50&beforeSeq=101');
  });

  it('treats an answer that is not a conversation as unexpected', async () => {
    stubFetch().mockResolvedValueOnce(jsonResponse({ id: '7', messages: 'none' }));

    await expect(fetchConversation('7', 's')).rejects.toMatchObject({ code: 'client/unexpected_response' });
  });
});
