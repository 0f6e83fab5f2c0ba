import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import type { SiteInfo } from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';
import { Tag } from '../http/openapi';

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

  @ApiProperty({ description: 'True when no real SMS or email provider is configured.', example: false })
  sandbox: boolean;
}

/** What the public pages show about this installation. */
@Controller('api/site')
@ApiTags(Tag.Site)
export class SiteController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({
    summary: 'About this installation',
    description: 'What the public pages show. No authentication.',
  })
  @ApiOkResponse({
    description: 'The installation.',
    type: SiteInfoDto,
    example: { companyName: 'ACME', supportNumber: '+447700900000', sandbox: false },
  })
  get(): SiteInfo {
    return {
      companyName: this.config.companyName,
      supportNumber: this.config.supportNumber,
      sandbox: this.config.sandbox,
    };
  }
}
