import { Controller, Get } from '@nestjs/common';
import type { SiteInfo } from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';

/** What the public pages show about this installation. */
@Controller('api/site')
export class SiteController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  get(): SiteInfo {
    return {
      companyName: this.config.companyName,
      supportNumber: this.config.supportNumber,
      sandbox: this.config.sandbox,
    };
  }
}
