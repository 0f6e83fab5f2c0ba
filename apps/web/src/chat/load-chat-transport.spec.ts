import type { ChatTransportName } from '@switchboard/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { loadChatTransport } from './load-chat-transport';
import { SocketTransport } from './socket-transport';
import { VonageTransport } from './vonage-transport';

vi.mock('nexmo-client', () => import('../testing/nexmo-client-stand-in'));

describe(loadChatTransport.name, () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('loads the socket.io transport for a socket session', async () => {
    await expect(loadChatTransport('socket')).resolves.toBeInstanceOf(SocketTransport);
  });

  it('loads the nexmo-client transport for a vonage session in a build made with VITE_CHAT_VONAGE=true', async () => {
    vi.stubEnv('VITE_CHAT_VONAGE', 'true');

    await expect(loadChatTransport('vonage')).resolves.toBeInstanceOf(VonageTransport);
  });

  it('refuses a vonage session in a default build, so the page says the chat is unavailable', async () => {
    vi.stubEnv('VITE_CHAT_VONAGE', undefined);

    await expect(loadChatTransport('vonage')).rejects.toMatchObject({
      name: 'ChatRequestError',
      code: 'client/unsupported_chat_transport',
    });
  });

  it('refuses a transport this build does not have, with a code the page can show', async () => {
    await expect(loadChatTransport('carrier-pigeon' as ChatTransportName)).rejects.toMatchObject({
      name: 'ChatRequestError',
      code: 'client/unsupported_chat_transport',
    });
  });
});
