import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { InstanceSecrets } from '../auth/instance-secrets';
import { Tag } from '../http/openapi';

@ApiSchema({ name: 'IntegrationToken' })
class IntegrationTokenDto {
  @ApiProperty({
    description: "This installation's `API_TOKEN`.",
    example: 'sb_Xq3f9K2mVt7Lw1Rb8Np4Zc6Hs0Dy5GeA',
  })
  token: string;
}

/**
 * The demo shop's integration token. Mounted with the sandbox mailbox outside production only: a
 * production installation never serves `API_TOKEN` over HTTP, not even to agents.
 */
@Controller('api/sandbox')
@ApiTags(Tag.Sandbox)
export class SandboxIntegrationTokenController {
  constructor(private readonly secrets: InstanceSecrets) {}

  @Get('integration-token')
  @ApiOperation({
    summary: 'The integration token',
    description:
      "Sandbox only: the demo shop's `API_TOKEN`. Mounted with the sandbox mailbox outside production; " +
      'production never serves it (paste it into the demo shop instead).',
  })
  @ApiOkResponse({
    description: 'The token.',
    type: IntegrationTokenDto,
    example: { token: 'sb_Xq3f9K2mVt7Lw1Rb8Np4Zc6Hs0Dy5GeA' },
  })
  token(): { token: string } {
    return { token: this.secrets.integrationToken };
  }
}
