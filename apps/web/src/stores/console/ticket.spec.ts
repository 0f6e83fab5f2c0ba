import { beforeEach, describe, expect, it } from 'vitest';

import { aDetail, anAgent } from '../../console/testing/console-builders';
import { startTicketWorld } from '../../console/testing/ticket-store';
import { jsonResponse, pendingResponse, type FetchRoute } from '../../testing/fetch-stub';
import { useTicketStore } from './ticket';

describe('useTicketStore', () => {
  let serve: (routes: Record<string, FetchRoute>) => void;

  beforeEach(async () => {
    ({ serve } = await startTicketWorld());
  });

  it("forgets the agent's work on leaving the console: the ticket, replies, drafts, the team", async () => {
    serve({
      'GET /api/tickets/10': () => jsonResponse(aDetail()),
      'GET /api/agents': () => jsonResponse([anAgent()]),
      'POST /api/tickets/10/messages': () => pendingResponse(),
    });
    const sut = useTicketStore();
    await sut.open('10');
    await sut.loadAgents();
    sut.setDraft('11', 'Half a thought');
    void sut.send('On its way');

    sut.reset();

    expect(sut.ticketId).toBeNull();
    expect(sut.status).toBe('idle');
    expect(sut.draftFor('11')).toBe('');
    expect(sut.agents).toEqual([]);
    await sut.open('10');
    expect(sut.pending).toEqual([]);
  });
});
