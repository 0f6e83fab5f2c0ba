import { Body, Controller, Get, Param, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AgentView, ErrorCode } from '@switchboard/contracts';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AdminGuard } from '../auth/admin.guard';
import { AgentGuard } from '../auth/agent.guard';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { AgentAuthService } from './agent-auth.service';
import { AgentsRepository } from './agents.repository';
import { AgentUpdateDto, AgentViewDto } from './login.dto';

const GRACE = { id: '7', email: 'grace@example.com', name: 'Grace Hopper', role: 'admin', disabled: false };

/** The team: every agent for the console's pickers; admins disable and re-enable agents. */
@Controller('api/agents')
@ApiTags(Tag.Tickets)
@ApiBearerAuth(Auth.Agent)
export class AgentsController {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly auth: AgentAuthService,
  ) {}

  @Get()
  @UseGuards(AgentGuard)
  @ApiOperation({
    summary: 'List agents',
    description: 'For the assignee picker (which leaves out disabled agents) and the team page.',
  })
  @ApiOkResponse({
    description: 'Every agent, disabled ones included.',
    type: [AgentViewDto],
    example: [
      GRACE,
      { id: '8', email: 'ada@example.com', name: 'Ada Lovelace', role: 'agent', disabled: false },
    ],
  })
  @ApiErrors(Err.agentOnly())
  list(): Promise<AgentView[]> {
    return this.agents.list();
  }

  @Patch(':id')
  @UseGuards(AdminGuard)
  @ApiOperation({
    summary: 'Disable or re-enable an agent',
    description:
      'Admins only. Disabling ends every session of the agent at once: their refresh cookies stop working, their ' +
      'access tokens are refused and their live sockets are closed on every instance within a few seconds. ' +
      'Their tickets stay assigned to them. An admin cannot disable themselves.',
  })
  @ApiParam({ name: 'id', example: '8' })
  @ApiBody({ type: AgentUpdateDto })
  @ApiOkResponse({
    description: 'The agent as it is now.',
    type: AgentViewDto,
    example: { id: '8', email: 'ada@example.com', name: 'Ada Lovelace', role: 'agent', disabled: true },
  })
  @ApiErrors(
    Err.validation([{ field: 'disabled', message: 'disabled must be true or false' }]),
    ...Err.adminOnly(),
    Err.of(404, ErrorCode.AgentNotFound, 'No agent 8'),
    Err.of(409, ErrorCode.CannotDisableSelf, 'You cannot disable yourself: ask another admin'),
  )
  update(
    @CurrentPrincipal() admin: Exclude<Principal, { role: 'customer' }>,
    @Param('id') id: string,
    @Body() dto: AgentUpdateDto,
  ): Promise<AgentView> {
    return this.auth.setDisabled(admin, id, dto.disabled);
  }
}
