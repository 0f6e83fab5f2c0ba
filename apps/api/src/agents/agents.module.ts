import { Module } from '@nestjs/common';
import { AgentAuthService } from './agent-auth.service';
import { AgentsRepository } from './agents.repository';
import { AgentsController } from './agents.controller';
import { AuthController } from './auth.controller';
import { DemoAgent } from './demo-agent';

@Module({
  controllers: [AuthController, AgentsController],
  providers: [AgentAuthService, AgentsRepository, DemoAgent],
  exports: [AgentsRepository, DemoAgent],
})
export class AgentsModule {}
