import { Controller, Get, Res } from '@nestjs/common';
import type { HealthResponse } from '@switchboard/contracts';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the database answers and migrations ran; 503 naming the failing part otherwise. */
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const result = await this.health.check();
    reply.header('cache-control', 'no-store').status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
