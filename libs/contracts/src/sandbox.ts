export type SmsDirection = 'in' | 'out';

/** Outbound SMS go queued → submitted → sent → delivered, or end failed / suppressed. */
export type SmsStatus = 'received' | 'queued' | 'submitted' | 'sent' | 'delivered' | 'failed' | 'suppressed';

/** One SMS of a phone's conversation with support, as the sandbox phone simulator shows it. */
export interface SandboxPhoneMessage {
  id: string;
  /** The ticket it belongs to; null for an SMS to an agent's phone that is about none (a code). */
  ticketId: string | null;
  direction: SmsDirection;
  body: string;
  status: SmsStatus;
  error: string | null;
  createdAt: string;
}

export interface SandboxPhoneConversation {
  /** E.164 with `+`. */
  number: string;
  supportNumber: string;
  messages: SandboxPhoneMessage[];
}

/** A simulated call to a sandbox phone: it rings, is answered or declined, and ends. */
export interface SandboxCall {
  /** The leg's id (as the Voice API's `uuid`). */
  id: string;
  /** Who calls, E.164. */
  from: string;
  status: 'ringing' | 'answered' | 'completed' | 'busy' | 'timeout' | 'cancelled';
  /** When it was answered, and ended. */
  answeredAt: string | null;
  endedAt: string | null;
}
