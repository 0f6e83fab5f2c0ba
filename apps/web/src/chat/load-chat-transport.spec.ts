import { describe, expect, it } from 'vitest';

import { loadChatTransport } from './load-chat-transport';
import { SocketTransport } from './socket-transport';

describe(loadChatTransport.name, () => {
  it('loads the socket.io transport for a socket session', async () => {
    await expect(loadChatTransport('socket')).resolves.toBeInstanceOf(SocketTransport);
  });

  it('refuses a transport this build does not have, with a code the page can show', async () => {
    await expect(loadChatTransport('vonage')).rejects.toMatchObject({
      name: 'ChatRequestError',
      code: 'client/unsupported_chat_transport',
    });
  });
});
