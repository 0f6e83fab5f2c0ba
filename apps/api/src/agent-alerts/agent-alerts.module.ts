import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { SmsModule } from '../sms/sms.module';
import { ThreadModule } from '../thread/thread.module';
import { AgentAvailabilityController } from './agent-availability.controller';
import { AgentAvailabilityService } from './agent-availability.service';
import { AgentSmsRepository } from './agent-sms.repository';
import { AgentSmsWorker } from './agent-sms.worker';
import { ChatAlerts } from './chat-alerts';

/**
 * SMS to agents: their mobile (confirmed by a code), on duty and quiet hours, and the alert a customer
 * opening their chat sends. Owns `agent_sms` and `agent_mobile_codes`; the agents' rows are the agents
 * module's, the thread's events the thread core's, the provider and the send budget the SMS module's.
 */
@Module({
  imports: [AgentsModule, SmsModule, ThreadModule],
  controllers: [AgentAvailabilityController],
  providers: [AgentAvailabilityService, AgentSmsRepository, AgentSmsWorker, ChatAlerts],
  exports: [ChatAlerts],
})
export class AgentAlertsModule {}
