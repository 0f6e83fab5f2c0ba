import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthProbesController } from './health-probes.controller';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, HealthProbesController],
  providers: [HealthService],
})
export class HealthModule {}
