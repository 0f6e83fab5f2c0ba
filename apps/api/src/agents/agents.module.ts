import { Module } from '@nestjs/common';
import { AgentAuthService } from './agent-auth.service';
import { AgentAvailabilityRepository } from './agent-availability.repository';
import { AgentsRepository } from './agents.repository';
import { AgentsController } from './agents.controller';
import { AuthController } from './auth.controller';
import { DemoAgent } from './demo-agent';

@Module({
  controllers: [AuthController, AgentsController],
  providers: [AgentAuthService, AgentsRepository, AgentAvailabilityRepository, DemoAgent],
  exports: [AgentsRepository, AgentAvailabilityRepository, DemoAgent],
})
export class AgentsModule {}
