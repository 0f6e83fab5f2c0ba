/** Error codes the API returns in `code`; the web app switches on these, never on messages. */
export const ErrorCode = {
  ValidationFailed: 'request/validation_failed',
  MalformedBody: 'request/malformed_body',
  PayloadTooLarge: 'request/payload_too_large',
  UnsupportedMediaType: 'request/unsupported_media_type',
  NotFound: 'request/not_found',
  Unauthorized: 'auth/unauthorized',
  Forbidden: 'auth/forbidden',
  AgentNotFound: 'agent/not_found',
  CannotDisableSelf: 'agent/cannot_disable_self',
  AgentDisabled: 'agent/disabled',
  /** Another person's number (a customer's or another agent's). */
  MobileTaken: 'agent/mobile_taken',
  /** Nothing to confirm: no code was sent, or it expired or was tried too often. */
  NoMobilePending: 'agent/no_mobile_pending',
  TooManyRequests: 'request/too_many_requests',
  Internal: 'server/internal',
  TicketNotFound: 'ticket/not_found',
  TicketWrongChannel: 'ticket/wrong_channel',
  TicketAnotherOpen: 'ticket/another_open',
  SmsRecipientOptedOut: 'sms/recipient_opted_out',
  SmsDestinationBlocked: 'sms/destination_blocked',
  CustomerNotFound: 'customer/not_found',
  UsernameTaken: 'customer/username_taken',
  PhoneTaken: 'customer/phone_taken',
  CustomerHasNoEmail: 'customer/no_email',
  OrderNotFound: 'order/not_found',
  ChatLinkInvalid: 'chat/link_invalid',
  ChatLinkExpired: 'chat/link_expired',
  /** The link was withdrawn (an agent revoked the customer's chat links): a newer email's link works. */
  ChatLinkRevoked: 'chat/link_revoked',
  ChatMessageTooLong: 'chat/message_too_long',
  ChatRateLimited: 'chat/rate_limited',
  ConversationNotFound: 'chat/conversation_not_found',
  ChatProviderUnavailable: 'chat/provider_unavailable',
  /** Voice is not configured, or no agent on duty can take a call now. */
  CallUnavailable: 'call/unavailable',
  /** No phone number on the customer's record to call back. */
  CallNoPhone: 'call/no_phone',
  /** A call is already going on in this conversation. */
  CallInProgress: 'call/in_progress',
  /** The hourly number of calls for this conversation was reached (`VOICE_CALLS_PER_HOUR`). */
  CallLimitReached: 'call/limit_reached',
  /** The number is outside `SMS_ALLOWED_COUNTRIES`: never called. */
  CallDestinationBlocked: 'call/destination_blocked',
  CallNotFound: 'call/not_found',
  /** A signed webhook sent again with the same token: nothing is recorded twice. */
  WebhookReplayed: 'webhook/replayed',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem with one input field. */
export interface FieldError {
  field: string;
  message: string;
}

/** Body of every 4xx/5xx JSON answer. */
export interface ErrorResponse {
  statusCode: number;
  code: ErrorCode | string;
  message: string;
  errors?: FieldError[];
  /** Present on 5xx (and failing health checks): quote it to an operator, who finds the details in the logs. */
  errorId?: string;
}
