import { ErrorCode } from '@switchboard/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { ClientErrorCode } from '../api/http';
import { jsonResponse, stubFetch, type FetchMock } from '../testing/fetch-stub';
import { aSandboxSite, aSiteInfo, aSiteSandbox } from '../testing/site-info';
import { useSiteStore } from './site';

describe('useSiteStore', () => {
  let fetchMock: FetchMock;

  beforeEach(() => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
  });

  it('starts idle', () => {
    const sut = useSiteStore();

    expect(sut.status).toBe('idle');
    expect(sut.site).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('goes loading → ready with the site info from GET /api/site', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo({ companyName: 'Globex' })));
    const sut = useSiteStore();

    const loading = sut.load();
    expect(sut.status).toBe('loading');
    await loading;

    expect(sut.status).toBe('ready');
    expect(sut.site).toEqual(aSiteInfo({ companyName: 'Globex' }));
    expect(sut.error).toBeNull();
    expect(fetchMock).toHaveBeenCalledWith('/api/site', expect.objectContaining({ method: 'GET' }));
  });

  it('goes to error with the ApiError when the API fails', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(
        { statusCode: 500, code: ErrorCode.Internal, message: 'Internal error', errorId: 'e-1' },
        500,
      ),
    );
    const sut = useSiteStore();

    await sut.load();

    expect(sut.status).toBe('error');
    expect(sut.error).toMatchObject({ code: ErrorCode.Internal, errorId: 'e-1' });
  });

  it('treats a body that is not SiteInfo as an error', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ companyName: 'ACME' }));
    const sut = useSiteStore();

    await sut.load();

    expect(sut.status).toBe('error');
    expect(sut.error?.code).toBe(ClientErrorCode.UnexpectedResponse);
  });

  it("keeps the sandbox's parts and the demo agent's sign-in hint", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSandboxSite()));
    const sut = useSiteStore();

    await sut.load();

    expect(sut.site?.sandbox).toEqual(aSiteSandbox());
    expect(sut.site?.demoAgent).toEqual({ email: 'agent@switchboard.local', password: 'start-up-log' });
  });

  it('treats the sandbox as a bare flag (an older API) as an error, not as sandbox mode', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ ...aSiteInfo(), sandbox: true }));
    const sut = useSiteStore();

    await sut.load();

    expect(sut.status).toBe('error');
    expect(sut.site).toBeNull();
  });

  it('clears the error when loading again', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));
    const sut = useSiteStore();
    await sut.load();
    expect(sut.error?.code).toBe(ClientErrorCode.Network);

    await sut.load();

    expect(sut.status).toBe('ready');
    expect(sut.error).toBeNull();
  });

  it('shares one request between overlapping loads', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));
    const sut = useSiteStore();

    await Promise.all([sut.load(), sut.load(), sut.ensureLoaded()]);

    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('ensureLoaded does not fetch again once ready', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(aSiteInfo()));
    const sut = useSiteStore();
    await sut.ensureLoaded();

    await sut.ensureLoaded();

    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
