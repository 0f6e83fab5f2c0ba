import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AgentGuard } from '../auth/agent.guard';
import { AppConfig } from '../config/app-config';

/**
 * Who may use the sandbox tools: anyone outside production, where nothing in the sandbox is real;
 * signed-in agents only in production with `SANDBOX=true`, where the mailbox holds real customers'
 * chat links and the webhook signer holds the real secret.
 */
@Injectable()
export class SandboxAccessGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly agents: AgentGuard,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    return this.config.sandbox?.agentsOnly ? this.agents.canActivate(context) : true;
  }
}
