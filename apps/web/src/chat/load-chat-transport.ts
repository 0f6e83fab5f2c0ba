import type { ChatTransportName } from '@switchboard/contracts';

import { ClientErrorCode } from '../api/http';
import { ChatRequestError, type ChatTransport } from './chat-transport';

/**
 * The transports this build knows, by the name the API puts in the chat session, each its own chunk
 * loaded only by the chat page that needs it. The Vonage one exists only in builds made with
 * `VITE_CHAT_VONAGE=true`: Vite replaces the variable with a constant, so elsewhere its import is dead
 * code and the build holds no `nexmo-client` at all. A vonage session then shows "chat unavailable".
 */
function loaderOf(name: ChatTransportName): (() => Promise<ChatTransport>) | undefined {
  switch (name) {
    case 'socket':
      return async () => new (await import('./socket-transport')).SocketTransport();
    case 'vonage':
      return import.meta.env.VITE_CHAT_VONAGE === 'true'
        ? async () => new (await import('./vonage-transport')).VonageTransport()
        : undefined;
    default:
      return undefined;
  }
}

export async function loadChatTransport(name: ChatTransportName): Promise<ChatTransport> {
  const load = loaderOf(name);
  if (!load) {
    throw new ChatRequestError(
      ClientErrorCode.UnsupportedChatTransport,
      `This version of the app cannot connect to the "${name}" chat.`,
    );
  }
  return load();
}
