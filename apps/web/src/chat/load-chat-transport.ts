import type { ChatTransportName } from '@switchboard/contracts';

import { ClientErrorCode } from '../api/http';
import { ChatRequestError, type ChatTransport } from './chat-transport';

/**
 * The transports this build knows, by the name the API puts in the chat session. Each is its own
 * chunk, loaded only by the chat page that needs it: `nexmo-client` (a few hundred kB) reaches only
 * the browsers of deployments that still use Vonage Conversations.
 */
const transports: { readonly [Name in ChatTransportName]?: () => Promise<ChatTransport> } = {
  socket: async () => new (await import('./socket-transport')).SocketTransport(),
  vonage: async () => new (await import('./vonage-transport')).VonageTransport(),
};

export async function loadChatTransport(name: ChatTransportName): Promise<ChatTransport> {
  const load = transports[name];
  if (!load) {
    throw new ChatRequestError(
      ClientErrorCode.UnsupportedChatTransport,
      `This version of the app cannot connect to the "${name}" chat.`,
    );
  }
  return load();
}
