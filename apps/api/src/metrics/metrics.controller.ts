import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config';
import { Metrics } from './metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Prometheus scrapes here; with METRICS_TOKEN set it must send it as a bearer token. */
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
    const token = this.config.metricsToken;
    if (token) {
      const given = authorization?.replace(/^Bearer /i, '') ?? '';
      if (!timingSafeEqual(digest(given), digest(token)))
        throw new UnauthorizedException('Send METRICS_TOKEN as a bearer token');
    }
    await reply.type(this.metrics.registry.contentType).send(await this.metrics.render());
  }
}
