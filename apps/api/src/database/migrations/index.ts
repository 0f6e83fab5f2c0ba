import { AppSettings1763712000000 } from './1763712000000-app-settings';
import { TicketsAndSms1763715600000 } from './1763715600000-tickets-and-sms';

/** Every migration, oldest first. Committed migrations are never edited: add a new one. */
export const migrations = [AppSettings1763712000000, TicketsAndSms1763715600000];
