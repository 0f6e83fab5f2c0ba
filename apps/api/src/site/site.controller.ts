import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import type { SiteDemoAgent, SiteInfo, SiteSandbox } from '@switchboard/contracts';
import { DemoAgent } from '../agents/demo-agent';
import { AppConfig } from '../config/app-config';
import { Tag } from '../http/openapi';

@ApiSchema({ name: 'SiteSandbox', description: 'The stand-ins for the providers that are not configured.' })
class SiteSandboxDto implements SiteSandbox {
  @ApiProperty({ description: 'The phone simulator: SMS go to the sandbox provider.', example: true })
  phone: boolean;

  @ApiProperty({ description: 'The mailbox: email goes to the sandbox provider.', example: true })
  mailbox: boolean;

  @ApiProperty({ description: "The demo shop, whose orders' emails land in the mailbox.", example: true })
  shop: boolean;

  @ApiProperty({
    description: 'The demo shop may fetch the integration token (never in production).',
    example: true,
  })
  integrationToken: boolean;

  @ApiProperty({
    description: 'Production with `SANDBOX=true`: every sandbox page and call needs a signed-in agent.',
    example: false,
  })
  agentsOnly: boolean;
}

@ApiSchema({ name: 'SiteDemoAgent', description: 'How a newcomer signs in (never in production).' })
class SiteDemoAgentDto implements SiteDemoAgent {
  @ApiProperty({ format: 'email', example: 'agent@switchboard.local' })
  email: string;

  @ApiProperty({
    enum: ['start-up-log', 'AGENT_PASSWORD'],
    description: 'Generated and printed in the start-up log when first created, or set by `AGENT_PASSWORD`.',
    example: 'start-up-log',
  })
  password: 'start-up-log' | 'AGENT_PASSWORD';
}

@ApiSchema({ name: 'SiteInfo' })
class SiteInfoDto implements SiteInfo {
  @ApiProperty({ description: '`SUPPORT_COMPANY_NAME`.', example: 'ACME' })
  companyName: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The number customers text, E.164; null when none is configured.',
    example: '+447700900000',
  })
  supportNumber: string | null;

  @ApiProperty({
    type: SiteSandboxDto,
    nullable: true,
    description: 'Null when every provider is real (always in production without `SANDBOX=true`).',
  })
  sandbox: SiteSandbox | null;

  @ApiProperty({ type: SiteDemoAgentDto, nullable: true, description: 'Null in production.' })
  demoAgent: SiteDemoAgent | null;
}

/** What the public pages show about this installation. */
@Controller('api/site')
@ApiTags(Tag.Site)
export class SiteController {
  constructor(
    private readonly config: AppConfig,
    private readonly demoAgent: DemoAgent,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'About this installation',
    description: 'What the public pages show. No authentication.',
  })
  @ApiOkResponse({
    description: 'The installation.',
    type: SiteInfoDto,
    example: {
      companyName: 'ACME',
      supportNumber: '+447700900000',
      sandbox: { phone: true, mailbox: true, shop: true, integrationToken: true, agentsOnly: false },
      demoAgent: { email: 'agent@switchboard.local', password: 'start-up-log' },
    },
  })
  get(): SiteInfo {
    const sandbox = this.config.sandbox;
    return {
      companyName: this.config.companyName,
      supportNumber: this.config.supportNumber,
      sandbox: sandbox
        ? {
            phone: sandbox.phone,
            mailbox: sandbox.mailbox,
            shop: sandbox.mailbox,
            integrationToken: sandbox.mailbox && !sandbox.agentsOnly,
            agentsOnly: sandbox.agentsOnly,
          }
        : null,
      demoAgent: this.demoAgent.signInHint(),
    };
  }
}
