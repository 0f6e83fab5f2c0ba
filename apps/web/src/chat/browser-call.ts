import type { BrowserCallSession } from '@switchboard/contracts';

/**
 * Calling from the chat page through the Vonage Client SDK ("app-to-phone"). The SDK is in the web
 * app only when it is built with `VITE_VOICE_CLIENT=true`: Vite replaces the variable with a constant,
 * so elsewhere the import below is dead code and the build holds none of it; it is loaded on the
 * click, never with the page. The sandbox's browser calls need none of it (the server simulates them).
 */
export const browserCallsBuilt = import.meta.env.VITE_VOICE_CLIENT === 'true';

/** What this page uses of the SDK's `VonageClient`. */
export interface VoiceClient {
  createSession(token: string): Promise<string>;
  serverCall(context: Record<string, string>): Promise<string>;
  hangup(callId: string): Promise<void>;
  on(event: 'callHangup', callback: (callId: string) => void): symbol;
  deleteSession(): Promise<void>;
}

export type VoiceClientLoader = () => Promise<VoiceClient>;

const loadVonageClient: VoiceClientLoader | undefined = browserCallsBuilt
  ? async () => new (await import('@vonage/client-sdk')).VonageClient() as unknown as VoiceClient
  : undefined;

/** A call the page is on. */
export interface BrowserCall {
  hangUp(): Promise<void>;
}

/**
 * Opens a Client SDK session with the server's token and places the call (`serverCall`), whose answer
 * URL finds the call by `callToken`. `onEnded` runs once when the call is over, whoever ended it.
 */
export async function startBrowserCall(
  session: BrowserCallSession,
  onEnded: () => void,
  load: VoiceClientLoader | undefined = loadVonageClient,
): Promise<BrowserCall> {
  if (!load) throw new Error('This version of the app cannot call from the browser.');
  const client = await load();
  await client.createSession(session.token);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnded();
    void client.deleteSession().catch(() => undefined);
  };
  const callId = await client.serverCall({ callToken: session.callToken });
  client.on('callHangup', (id) => {
    if (id === callId) end();
  });
  return {
    async hangUp() {
      try {
        await client.hangup(callId);
      } finally {
        end();
      }
    },
  };
}
