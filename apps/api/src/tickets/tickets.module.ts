import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { ThreadModule } from '../thread/thread.module';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

/** The agent console's API over the thread core; the channels it replies on plug into the core. */
@Module({
  imports: [AgentsModule, ThreadModule],
  controllers: [TicketsController],
  providers: [TicketsService],
})
export class TicketsModule {}
