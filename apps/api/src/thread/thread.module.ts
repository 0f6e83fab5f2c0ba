import { Module } from '@nestjs/common';
import { InboxViews } from './inbox-views';
import { MessageDelivery } from './message-delivery';
import { ReplyChannels } from './reply-channels';
import { MessageSearchIndexer } from './message-search-indexer';
import { SearchLanguage } from './search-language';
import { ThreadMessagesRepository } from './thread-messages.repository';
import { ThreadTicketsRepository } from './thread-tickets.repository';
import { ThreadService } from './thread.service';
import { ThreadViews } from './thread-views';

/**
 * The ticket core: tickets, messages and events. Its repositories are its own; the rest of the API
 * writes through ThreadService (and MessageDelivery for outbound messages' state), reads through
 * ThreadViews (and InboxViews for the inbox's lists), and channels register their replies with ReplyChannels. Channels and the modules
 * around them import it; it imports none of them.
 */
@Module({
  providers: [
    ThreadService,
    ThreadViews,
    InboxViews,
    SearchLanguage,
    MessageSearchIndexer,
    MessageDelivery,
    ReplyChannels,
    ThreadTicketsRepository,
    ThreadMessagesRepository,
  ],
  exports: [ThreadService, ThreadViews, InboxViews, MessageDelivery, ReplyChannels],
})
export class ThreadModule {}
