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

@ApiSchema({ name: 'HealthFailing', description: 'Each failing part and why.' })
class HealthFailingDto {
  @ApiPropertyOptional({ example: 'unreachable: connect ECONNREFUSED 127.0.0.1:5432' })
  database?: string;

  @ApiPropertyOptional({ example: 'not applied yet' })
  migrations?: string;
}

@ApiSchema({ name: 'HealthResponse' })
class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';

  @ApiPropertyOptional({ type: HealthFailingDto, description: 'Only when failing.' })
  failing?: Partial<Record<HealthPart, string>>;
}

@Controller('health')
@ApiTags(Tag.Health)
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the database answers and migrations ran; 503 naming the failing part otherwise. */
  @Get()
  @ApiOperation({
    summary: 'Health check',
    description:
      'Ready when the database answers within 2 s and every migration ran. Not cached. No authentication.',
  })
  @ApiOkResponse({ description: 'Healthy.', type: HealthResponseDto, example: { status: 'ok' } })
  @ApiServiceUnavailableResponse({
    description: 'Not healthy: `failing` names each failing part.',
    type: HealthResponseDto,
    example: { status: 'error', failing: { database: 'unreachable: connect ECONNREFUSED 127.0.0.1:5432' } },
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const result = await this.health.check();
    reply.header('cache-control', 'no-store').status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
