import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { HealthPart, HealthResponse } from '@switchboard/contracts';
import type { FastifyReply } from 'fastify';
import { Tag } from '../http/openapi';
import { HealthService } from './health.service';

@ApiSchema({ name: 'HealthFailing', description: 'Each failing part and a short reason.' })
class HealthFailingDto {
  @ApiPropertyOptional({ example: 'unreachable' })
  database?: string;

  @ApiPropertyOptional({ example: 'not applied yet' })
  migrations?: string;

  @ApiPropertyOptional({ example: 'not running' })
  jobs?: string;
}

@ApiSchema({ name: 'HealthResponse' })
class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

  @ApiPropertyOptional({ type: HealthFailingDto, description: 'Only when failing.' })
  failing?: Partial<Record<HealthPart, string>>;

  @ApiPropertyOptional({
    description: 'Only when failing: the operator finds the details in the log under it.',
    example: '5f0c6a3e-2b1d-4c8e-9f4a-7d2e1b0c9a88',
  })
  errorId?: string;
}

const FAILING = {
  type: HealthResponseDto,
  example: {
    status: 'error',
    failing: { database: 'unreachable' },
    errorId: '5f0c6a3e-2b1d-4c8e-9f4a-7d2e1b0c9a88',
  },
};

/**
 * Health for people and orchestrators. Liveness: the process answers (restart it if not). Readiness:
 * the database answers, migrations ran and the job queue works (send it traffic only then). No
 * authentication, so no answer carries an error's own text: that is logged under `errorId`.
 */
@Controller('health')
@ApiTags(Tag.Health)
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({
    summary: 'Health check',
    description:
      'Ready when the database answers within 2 s and every migration ran. Not cached. No authentication.',
  })
  @ApiOkResponse({ description: 'Healthy.', type: HealthResponseDto, example: { status: 'ok' } })
  @ApiServiceUnavailableResponse({
    description: 'Not healthy: `failing` names each failing part.',
    ...FAILING,
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    return answer(reply, await this.health.summary());
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness probe', description: 'The process answers. No authentication.' })
  @ApiOkResponse({ description: 'Alive.', type: HealthResponseDto, example: { status: 'ok' } })
  live(@Res({ passthrough: true }) reply: FastifyReply): HealthResponse {
    return answer(reply, { status: 'ok' });
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness probe',
    description: 'The database answers, migrations ran and the job queue works. No authentication.',
  })
  @ApiOkResponse({ description: 'Ready.', type: HealthResponseDto, example: { status: 'ok' } })
  @ApiServiceUnavailableResponse({ description: 'Not ready: `failing` names each failing part.', ...FAILING })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    return answer(reply, await this.health.readiness());
  }
}

function answer(reply: FastifyReply, result: HealthResponse): HealthResponse {
  void reply.header('cache-control', 'no-store').status(result.status === 'ok' ? 200 : 503);
  return result;
}
