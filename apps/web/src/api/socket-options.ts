import type { ManagerOptions } from 'socket.io-client';

/**
 * How both of our socket.io clients (the chat page, the console) connect. WebSocket only: the server
 * offers no long-polling, whose requests a load balancer would spread over instances that do not know
 * them. A handshake that hangs (a proxy that accepted the upgrade and then lost its upstream closes the
 * socket without an error, which leaves socket.io-client "opening") is abandoned after 5 s, not the
 * default 20, and retried with the usual back-off.
 */
export const SOCKET_OPTIONS = {
  transports: ['websocket'],
  timeout: 5_000,
  reconnectionDelayMax: 5_000,
} satisfies Partial<ManagerOptions>;
