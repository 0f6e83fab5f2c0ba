/** One SMS to an agent (a code or an alert): `{ smsId }`. */
export const SEND_AGENT_SMS_QUEUE = 'agent-sms.send';
/** A customer opened their chat: decide whom to alert. `{ ticketId }`. */
export const CHAT_OPENED_QUEUE = 'agent-alerts.chat-opened';
