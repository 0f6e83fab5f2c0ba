import type { ChatTransportName } from '@switchboard/contracts';
import { describe, expect, it, vi } from 'vitest';

import { loadChatTransport } from './load-chat-transport';
import { SocketTransport } from './socket-transport';
import { VonageTransport } from './vonage-transport';

vi.mock('nexmo-client', () => import('../testing/nexmo-client-stand-in'));

describe(loadChatTransport.name, () => {
  it('loads the socket.io transport for a socket session', async () => {
    await expect(loadChatTransport('socket')).resolves.toBeInstanceOf(SocketTransport);
  });

  it('loads the nexmo-client transport for a vonage session', async () => {
    await expect(loadChatTransport('vonage')).resolves.toBeInstanceOf(VonageTransport);
  });

  it('refuses a transport this build does not have, with a code the page can show', async () => {
    await expect(loadChatTransport('carrier-pigeon' as ChatTransportName)).rejects.toMatchObject({
      name: 'ChatRequestError',
      code: 'client/unsupported_chat_transport',
    });
  });
});
