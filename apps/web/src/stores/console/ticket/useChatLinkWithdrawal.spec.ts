import { beforeEach, describe, expect, it } from 'vitest';

import { aCustomer, aDetail } from '../../../console/testing/console-builders';
import { startTicketWorld } from '../../../console/testing/ticket-store';
import { jsonResponse, type FetchRoute } from '../../../testing/fetch-stub';
import { useTicketStore } from '../ticket';
import { useToastStore } from '../toasts';

describe('useChatLinkWithdrawal (through the ticket store)', () => {
  let serve: (routes: Record<string, FetchRoute>) => void;
  const chat = aDetail({ channel: 'chat', customer: aCustomer({ id: '5', name: 'Ada' }) });

  beforeEach(async () => {
    ({ serve } = await startTicketWorld());
  });

  it("withdraws the chat customer's links and says what that did", async () => {
    const withdrawn: string[] = [];
    serve({
      'GET /api/tickets/10': () => jsonResponse(chat),
      'DELETE /api/customers/5/chat-links': ({ url }) => {
        withdrawn.push(url.pathname);
        return new Response(null, { status: 204 });
      },
    });
    const sut = useTicketStore();
    await sut.open('10');

    await expect(sut.withdrawChatLinks()).resolves.toBe(true);

    expect(withdrawn).toEqual(['/api/customers/5/chat-links']);
    expect(useToastStore().toasts).toMatchObject([{ tone: 'success', title: 'Chat links withdrawn' }]);
    expect(sut.withdrawing).toBe(false);
    expect(sut.withdrawError).toBeNull();
  });

  it('says why it was not withdrawn, with the error id of a server fault, until another ticket opens', async () => {
    serve({
      'GET /api/tickets/10': () => jsonResponse(chat),
      'GET /api/tickets/11': () => jsonResponse(aDetail({ id: '11' })),
      'DELETE /api/customers/5/chat-links': () =>
        jsonResponse({ statusCode: 500, code: 'server/internal', message: 'Oops', errorId: 'e-1' }, 500),
    });
    const sut = useTicketStore();
    await sut.open('10');

    await expect(sut.withdrawChatLinks()).resolves.toBe(false);
    expect(sut.withdrawError).toBe('Not withdrawn: Oops (error e-1)');

    await sut.open('11');
    expect(sut.withdrawError).toBeNull();
  });

  it('offers nothing for an SMS ticket', async () => {
    serve({ 'GET /api/tickets/10': () => jsonResponse(aDetail({ channel: 'sms' })) });
    const sut = useTicketStore();
    await sut.open('10');

    await expect(sut.withdrawChatLinks()).resolves.toBe(false);
  });
});
