/**
 * Stands in for `chat/load-chat-transport` in the conversation store's specs:
 * `vi.mock('…/chat/load-chat-transport', () => import('…/testing/fake-chat-transport-loader'))`.
 * It hands out `transports.current` and records which transport the session named.
 */
export const transports = { current: undefined as unknown, loaded: [] as string[] };

export async function loadChatTransport(name: string): Promise<unknown> {
  transports.loaded.push(name);
  return transports.current;
}
