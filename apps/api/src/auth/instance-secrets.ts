import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppSettingsRepository } from '../settings/app-settings.repository';

/**
 * The integration token and the signing secret: from the environment, or (outside production, where
 * the configuration requires them) generated on first start, stored, and reused on every start.
 */
@Injectable()
export class InstanceSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger('Switchboard');
  private token?: string;
  private secret?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: AppSettingsRepository,
  ) {}

  /** Runs after every module's init, so the migrations that create `app_settings` have run. */
  async onApplicationBootstrap(): Promise<void> {
    this.secret =
      this.config.jwtSecret ??
      (await this.settings.getOrCreate('jwt_secret', randomBytes(48).toString('base64url'))).value;
    if (this.config.apiToken) {
      this.token = this.config.apiToken;
      return;
    }
    const stored = await this.settings.getOrCreate(
      'integration_api_token',
      `sb_${randomBytes(24).toString('base64url')}`,
    );
    this.token = stored.value;
    this.logger.log(
      `Integration API token (API_TOKEN is not set, so one was ${stored.created ? 'generated' : 'generated earlier'}): ` +
        `Authorization: Bearer ${stored.value}`,
    );
  }

  get integrationToken(): string {
    if (!this.token) throw new Error('InstanceSecrets used before the application finished booting');
    return this.token;
  }

  get signingSecret(): string {
    if (!this.secret) throw new Error('InstanceSecrets used before the application finished booting');
    return this.secret;
  }
}
