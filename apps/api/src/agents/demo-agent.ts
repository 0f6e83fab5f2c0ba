import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { SiteDemoAgent } from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';
import { AgentsRepository } from './agents.repository';
import { Passwords } from './passwords';

export const DEMO_AGENT_EMAIL = 'agent@switchboard.local';

/**
 * In sandbox mode a demo agent exists, so the console can be tried at once: AGENT_EMAIL and
 * AGENT_PASSWORD when set, otherwise a generated password printed the one time it is created.
 * Production (`SANDBOX=true`) gets one only from AGENT_PASSWORD: no generated password goes to its
 * logs. Real installations create agents with `pnpm agent:create`.
 */
@Injectable()
export class DemoAgent implements OnApplicationBootstrap {
  private readonly logger = new Logger('Switchboard');

  constructor(
    private readonly config: AppConfig,
    private readonly agents: AgentsRepository,
  ) {}

  /** What the sign-in page tells a newcomer; never in production. */
  signInHint(): SiteDemoAgent | null {
    if (!this.config.sandbox || this.config.sandbox.agentsOnly) return null;
    return {
      email: this.config.agent.email ?? DEMO_AGENT_EMAIL,
      password: this.config.agent.password ? 'AGENT_PASSWORD' : 'start-up-log',
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.sandbox) return;
    if (this.config.sandbox.agentsOnly && !this.config.agent.password) {
      this.logger.log(
        'SANDBOX=true: no demo agent (set AGENT_PASSWORD for one); create agents with pnpm agent:create',
      );
      return;
    }
    const email = this.config.agent.email ?? DEMO_AGENT_EMAIL;
    const password = this.config.agent.password ?? randomBytes(9).toString('base64url');
    const existing = await this.agents.withPassword(email);
    if (existing) {
      if (this.config.agent.password && !(await Passwords.verify(existing.passwordHash ?? '', password))) {
        await this.agents.setPassword(existing.id, await Passwords.hash(password));
      }
      this.logger.log(`Agent console: ${this.config.publicUrl}/agent (demo agent ${email})`);
      return;
    }
    const created = await this.agents.create(
      { email, name: 'Demo Agent', role: 'admin' },
      await Passwords.hash(password),
    );
    if (!created) return; // another instance created it at the same moment
    this.logger.log(
      `Agent console: ${this.config.publicUrl}/agent — demo agent ${email}` +
        (this.config.agent.password
          ? ' (password from AGENT_PASSWORD)'
          : `, password ${password} (shown only this once)`),
    );
  }
}
