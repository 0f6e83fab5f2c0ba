import { AppSettings1763712000000 } from './1763712000000-app-settings';
import { TicketsAndSms1763715600000 } from './1763715600000-tickets-and-sms';
import { OrdersAndEmail1763719200000 } from './1763719200000-orders-and-email';
import { ChatSequence1763722800000 } from './1763722800000-chat-sequence';
import { AgentSessions1763726400000 } from './1763726400000-agent-sessions';
import { SmsReceiveCommonPath1763730000000 } from './1763730000000-sms-receive-common-path';
import { SmsAutomatedCaps1763733600000 } from './1763733600000-sms-automated-caps';
import { SuppressedSmsIndex1763737200000 } from './1763737200000-suppressed-sms-index';
import { VonageConversations1763740800000 } from './1763740800000-vonage-conversations';
import { SmsReceiveBatch1763744400000 } from './1763744400000-sms-receive-batch';
import { VonageLease1763748000000 } from './1763748000000-vonage-lease';
import { SessionsThatEnd1763751600000 } from './1763751600000-sessions-that-end';
import { VonageLinksOwnTables1763755200000 } from './1763755200000-vonage-links-own-tables';
import { InboxAtScale1763762400000 } from './1763762400000-inbox-at-scale';
import { InboxSearch1763766000000 } from './1763766000000-inbox-search';
import { SearchOffTheWebhook1763769600000 } from './1763769600000-search-off-the-webhook';
import { AgentAlerts1763773200000 } from './1763773200000-agent-alerts';
import { VoiceCalls1763776800000 } from './1763776800000-voice-calls';
import { ChatAppendStatement1763780400000 } from './1763780400000-chat-append-statement';

/**
 * Every migration, oldest first. Committed migrations are never edited: add a new one. They make
 * tables, columns, indexes and data; database functions and triggers live in SQL files
 * (../sql-files.ts), which are not versioned here.
 */
export const migrations = [
  AppSettings1763712000000,
  TicketsAndSms1763715600000,
  OrdersAndEmail1763719200000,
  ChatSequence1763722800000,
  AgentSessions1763726400000,
  SmsReceiveCommonPath1763730000000,
  SmsAutomatedCaps1763733600000,
  SuppressedSmsIndex1763737200000,
  VonageConversations1763740800000,
  SmsReceiveBatch1763744400000,
  VonageLease1763748000000,
  SessionsThatEnd1763751600000,
  VonageLinksOwnTables1763755200000,
  InboxAtScale1763762400000,
  InboxSearch1763766000000,
  SearchOffTheWebhook1763769600000,
  AgentAlerts1763773200000,
  VoiceCalls1763776800000,
  ChatAppendStatement1763780400000,
];
