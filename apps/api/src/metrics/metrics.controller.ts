import { Controller, Get, Headers, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config';
import { Metrics } from './metrics';
import { metricsAccess } from './metrics-access';

/** Prometheus scrapes here with METRICS_TOKEN as a bearer token (or on METRICS_PORT, `MetricsServer`). */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const access = metricsAccess(this.config, authorization, 'public');
    if (access === 'not-served') throw new NotFoundException('Cannot GET /metrics');
    if (access === 'unauthorized') throw new UnauthorizedException('Send METRICS_TOKEN as a bearer token');
    await reply.type(this.metrics.registry.contentType).send(await this.metrics.render());
  }
}
