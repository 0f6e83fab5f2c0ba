/**
 * The port to the phone network: place a call whose NCCO connects it to the agent once answered, and
 * hang one up. Every step after that comes back through the signed event webhook (`voice-webhook`),
 * from Vonage or from the sandbox's simulated network alike.
 */
export interface OutboundCall {
  /** The customer's number, E.164. */
  to: string;
  /** Our number the call shows as coming from, E.164. */
  from: string;
  /** What the call does once answered (Vonage's Call Control Object). */
  ncco: NccoAction[];
  /** Where the provider posts the call's events (this call's own path). */
  eventUrl: string;
  /** Seconds the customer's phone rings before the call counts as not answered. */
  ringingSeconds: number;
  /** The longest the call may last once answered. */
  maxSeconds: number;
}

export interface PlacedCall {
  /** The provider's id of the customer's leg. */
  legId: string;
  /** The provider's id of the whole call, which every leg's events carry. */
  conversationId: string;
}

/** The NCCO actions Switchboard uses (a subset of Vonage's). */
export type NccoAction =
  | { action: 'talk'; text: string; language?: string }
  | { action: 'conversation'; name: string; startOnEnter?: boolean; endOnExit?: boolean }
  | {
      action: 'connect';
      from: string;
      timeout: number;
      limit: number;
      endpoint: [{ type: 'phone'; number: string }];
      eventUrl: [string];
    };

/** Refused or unreachable: the call was not placed. */
export class VoiceCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoiceCallError';
  }
}

/** A call the customer makes from the chat page (Vonage's "app-to-phone"). */
export interface BrowserCall {
  customerId: string;
  /** Our token for the call, which the answer URL takes back (`custom_data.callToken`). */
  callToken: string;
  /** Our answer URL's path, and the application-level event URL's (where the browser leg reports). */
  answerPath: string;
  eventPath: string;
}

export abstract class VoiceProvider {
  abstract readonly name: 'vonage' | 'sandbox';
  abstract place(call: OutboundCall): Promise<PlacedCall>;
  /**
   * Starts a call from the browser: Vonage gives the Client SDK a session (returned, for the page to
   * call `serverCall`); the sandbox places the browser's leg itself (null).
   */
  abstract startBrowserCall(call: BrowserCall): Promise<{ token: string } | null>;
  /** Ends the leg (ringing: cancelled; answered: completed). Quietly nothing when it is over already. */
  abstract hangUp(legId: string): Promise<void>;
}

/** Vonage numbers go without the `+`. */
export const vonageNumber = (e164: string): string => e164.replace(/^\+/, '');

/** The named conversation a browser call's two legs meet in. */
export const callConversationName = (callId: string): string => `switchboard-call-${callId}`;

/**
 * What a browser call's own leg does once Vonage asks our answer URL: a word, then the named
 * conversation the agent's call joins. The agent's number is in no NCCO an answer URL serves.
 */
export function browserCallNcco(companyName: string, callId: string): NccoAction[] {
  return [
    {
      action: 'talk',
      text: `Thank you for calling ${companyName} Support. Connecting you to an agent.`,
      language: 'en-GB',
    },
    { action: 'conversation', name: callConversationName(callId), startOnEnter: true, endOnExit: true },
  ];
}

/** The agent's leg of a browser call: into the customer's conversation; either hanging up ends it. */
export function agentJoinNcco(callId: string): NccoAction[] {
  return [
    { action: 'conversation', name: callConversationName(callId), startOnEnter: true, endOnExit: true },
  ];
}

/**
 * What a callback does once the customer answers: a greeting, the agent's phone rung for `timeout`
 * seconds, and a word of apology when the agent cannot take it (connect moves on to the next action
 * when the endpoint is busy or does not answer).
 */
export function callbackNcco(options: {
  companyName: string;
  agentPhone: string;
  from: string;
  eventUrl: string;
  agentRingingSeconds: number;
  maxSeconds: number;
}): NccoAction[] {
  return [
    {
      action: 'talk',
      text: `Hello, this is ${options.companyName} Support calling you back. Connecting you to an agent now.`,
      language: 'en-GB',
    },
    {
      action: 'connect',
      from: vonageNumber(options.from),
      timeout: options.agentRingingSeconds,
      limit: options.maxSeconds,
      endpoint: [{ type: 'phone', number: vonageNumber(options.agentPhone) }],
      eventUrl: [options.eventUrl],
    },
    {
      action: 'talk',
      text: 'Sorry, no agent could take your call just now. We will answer you in the chat.',
      language: 'en-GB',
    },
  ];
}
