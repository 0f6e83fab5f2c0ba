import type { SmsConfig } from '../../config/app-config';
import type { ReceiveSmsCommand } from './inbound-sms.repository';
import { destinationBlocked } from '../destination-country';
import { smsIntent } from './sms-intent';

export interface WholeSms {
  /** The Vonage messageId it is known by (the first part's, for an assembled multipart SMS). */
  messageId: string;
  msisdn: string;
  to: string;
  text: string;
  payload: Record<string, unknown>;
  signature?: { nonce: string; signature: string };
}

/** The unit of work for one whole inbound message, with the rules the configuration sets. */
export function receiveCommand(sms: WholeSms, rules: SmsConfig, replyProvider: string): ReceiveSmsCommand {
  return {
    messageId: sms.messageId,
    msisdn: sms.msisdn,
    to: sms.to,
    body: sms.text,
    payload: sms.payload,
    intent: smsIntent(sms.text),
    reopenDays: rules.reopenDays,
    confirmation: rules.confirmationTemplate,
    helpReply: rules.helpReply,
    replyProvider,
    nonce: sms.signature?.nonce,
    signature: sms.signature?.signature,
    replyBlocked: destinationBlocked(sms.msisdn, rules.allowedCountries),
    autoPerNumberPerHour: rules.autoPerNumberPerHour,
    autoPerMinute: rules.autoPerMinute,
  };
}
