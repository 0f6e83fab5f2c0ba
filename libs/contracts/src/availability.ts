/**
 * An agent's availability for alerts (`/api/agents/me/availability`, `/api/agents/me/mobile`): the
 * mobile number chat alerts go to once confirmed by a code, the on-duty switch, quiet hours.
 */

/** Hours without alerts, every day, in the agent's time zone; `from` later than `to` spans midnight. */
export interface QuietHours {
  /** `HH:MM`, 24-hour. */
  from: string;
  /** `HH:MM`, 24-hour. */
  to: string;
  /** IANA time zone, e.g. `Europe/London`. */
  timeZone: string;
}

/** The confirmation code's SMS: `failed` with the reason (an unreachable phone, a STOP …). */
export interface CodeSms {
  status: 'queued' | 'submitted' | 'sent' | 'delivered' | 'failed';
  error: string | null;
}

export interface AgentAvailability {
  /** The confirmed mobile alerts go to (E.164), or null. */
  mobile: string | null;
  /** A number waiting for its confirmation code (sent to it by SMS), or null. */
  pendingMobile: string | null;
  /** How the SMS carrying that code is faring (null without a pending number). */
  codeSms: CodeSms | null;
  /** On duty: customers' chats alert this agent (when they have a confirmed mobile). */
  onDuty: boolean;
  quietHours: QuietHours | null;
  /** The mobile texted STOP: nothing is sent to it until it texts START. */
  smsStopped: boolean;
}

/** `PATCH /api/agents/me/availability`: only the fields given change. */
export interface AvailabilityUpdate {
  onDuty?: boolean;
  quietHours?: QuietHours | null;
}

/** `POST /api/agents/me/mobile`: sends a confirmation code to this number. */
export interface MobileRequest {
  mobile: string;
}

/** `POST /api/agents/me/mobile/confirm`. */
export interface MobileConfirmation {
  code: string;
}
