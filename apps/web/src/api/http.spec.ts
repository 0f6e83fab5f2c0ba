import { ErrorCode } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';

import { fetchCall, jsonResponse, stubFetch } from '../testing/fetch-stub';
import { ApiError, ClientErrorCode, NetworkError, answer, api, auth } from './http';

const getSite = (signal?: AbortSignal) => answer(api.GET('/api/site', auth({ signal })));

describe('api: a GET', () => {
  it('returns the parsed JSON body', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse({ status: 'ok' }));

    await expect(answer(api.GET('/health'))).resolves.toEqual({ status: 'ok' });
    const call = fetchCall(fetchMock);
    expect(call).toMatchObject({ url: '/health', method: 'GET' });
    expect(call.init.headers).toEqual({ Accept: 'application/json' });
    expect(call.init.body).toBeUndefined();
  });

  it('turns an ErrorResponse body into an ApiError with its code, message and field errors', async () => {
    stubFetch().mockResolvedValueOnce(
      jsonResponse(
        {
          statusCode: 400,
          code: ErrorCode.ValidationFailed,
          message: 'Some fields are invalid.',
          errors: [{ field: 'email', message: 'must be an email' }, { field: 42 }],
        },
        400,
      ),
    );

    const error = await getSite().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: ErrorCode.ValidationFailed,
      message: 'Some fields are invalid.',
      fieldErrors: [{ field: 'email', message: 'must be an email' }],
      errorId: undefined,
    });
    expect((error as ApiError).fieldError('email')).toBe('must be an email');
    expect((error as ApiError).fieldError('name')).toBeUndefined();
  });

  it('keeps the errorId of a 5xx', async () => {
    stubFetch().mockResolvedValueOnce(
      jsonResponse(
        { statusCode: 500, code: ErrorCode.Internal, message: 'Internal error', errorId: 'e-123' },
        500,
      ),
    );

    await expect(getSite()).rejects.toMatchObject({
      status: 500,
      code: ErrorCode.Internal,
      errorId: 'e-123',
    });
  });

  it.each([
    [404, ErrorCode.NotFound],
    [429, ErrorCode.TooManyRequests],
    [502, ErrorCode.Internal],
    [418, ClientErrorCode.UnexpectedResponse],
  ])('maps a %i without our JSON body to %s', async (status, code) => {
    stubFetch().mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status }));

    await expect(getSite()).rejects.toMatchObject({ name: 'ApiError', status, code });
  });

  it('rejects with a NetworkError when the request never gets an answer', async () => {
    const cause = new TypeError('Failed to fetch');
    stubFetch().mockRejectedValueOnce(cause);

    const error = await getSite().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: ClientErrorCode.Network, cause });
  });

  it('lets an abort through untouched', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    stubFetch().mockRejectedValueOnce(abort);

    await expect(getSite(AbortSignal.abort())).rejects.toBe(abort);
  });

  it('rejects a 200 that is not JSON as an unexpected response', async () => {
    stubFetch().mockResolvedValueOnce(new Response('<!doctype html><html></html>', { status: 200 }));

    await expect(getSite()).rejects.toMatchObject({
      status: 200,
      code: ClientErrorCode.UnexpectedResponse,
    });
  });
});

describe('api: a call with a body', () => {
  it('sends the body as JSON', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse({ id: 't-1' }, 201));

    await expect(answer(api.POST('/api/users', { body: { username: 'ada' } }))).resolves.toEqual({
      id: 't-1',
    });
    const call = fetchCall(fetchMock);
    expect(call).toMatchObject({ url: '/api/users', method: 'POST' });
    expect(call.init.headers).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json' });
    expect(call.init.body).toBe('{"username":"ada"}');
  });

  it('sends an access token as a bearer token', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(jsonResponse({ id: 'm-1' }));

    await answer(
      api.POST('/api/chat/conversations/{id}/messages', {
        ...auth({ accessToken: 'tok-1' }),
        params: { path: { id: '7' } },
        body: { body: 'Hi', clientId: 'c-1' },
      }),
    );

    expect(fetchCall(fetchMock).url).toBe('/api/chat/conversations/7/messages');
    expect(fetchCall(fetchMock).init.headers).toEqual({
      Accept: 'application/json',
      Authorization: 'Bearer tok-1',
      'Content-Type': 'application/json',
    });
  });

  it('resolves to undefined on 204 No Content, and encodes path parameters', async () => {
    const fetchMock = stubFetch();
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));

    await expect(
      answer(api.DELETE('/api/customers/{id}/chat-links', { params: { path: { id: 'c/1' } } })),
    ).resolves.toBeUndefined();
    expect(fetchCall(fetchMock).url).toBe('/api/customers/c%2F1/chat-links');
  });
});
