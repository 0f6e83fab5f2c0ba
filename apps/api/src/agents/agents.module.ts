import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AgentAuthService } from './agent-auth.service';
import { AgentsRepository } from './agents.repository';
import { AuthController } from './auth.controller';
import { DemoAgent } from './demo-agent';

@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: 100 }])],
  controllers: [AuthController],
  providers: [AgentAuthService, AgentsRepository, DemoAgent],
  exports: [AgentsRepository],
})
export class AgentsModule {}
