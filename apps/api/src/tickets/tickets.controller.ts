import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import type { AgentView, ThreadEntry, TicketDetail, TicketPage } from '@switchboard/contracts';
import { AgentsRepository } from '../agents/agents.repository';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AgentGuard } from '../auth/agent.guard';
import { ListTicketsQuery, ReadDto, ReplyDto, UpdateTicketDto } from './tickets.dto';
import { TicketsService } from './tickets.service';

type AgentPrincipal = Exclude<Principal, { role: 'customer' }>;

/** The agent console's API. Agents only: no token → 401, a customer's token → 403. */
@Controller('api')
@UseGuards(AgentGuard)
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly agents: AgentsRepository,
  ) {}

  @Get('tickets')
  list(@CurrentPrincipal() agent: AgentPrincipal, @Query() query: ListTicketsQuery): Promise<TicketPage> {
    return this.tickets.list(agent, {
      status: query.status,
      channel: query.channel,
      assignee: query.assignee,
      search: query.q?.trim() || undefined,
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 25,
    });
  }

  @Get('tickets/:id')
  detail(@Param('id') id: string): Promise<TicketDetail> {
    return this.tickets.detail(id);
  }

  @Post('tickets/:id/messages')
  @HttpCode(201)
  reply(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Param('id') id: string,
    @Body() dto: ReplyDto,
  ): Promise<ThreadEntry> {
    return this.tickets.reply(agent, id, dto.body, dto.clientId);
  }

  @Post('tickets/:id/messages/:messageId/resend')
  @HttpCode(201)
  resend(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Param('id') id: string,
    @Param('messageId') messageId: string,
  ): Promise<ThreadEntry> {
    return this.tickets.resend(agent, id, messageId);
  }

  @Patch('tickets/:id')
  update(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Param('id') id: string,
    @Body() dto: UpdateTicketDto,
  ): Promise<TicketDetail> {
    return this.tickets.update(agent, id, dto);
  }

  @Post('tickets/:id/read')
  @HttpCode(204)
  read(@Param('id') id: string, @Body() dto: ReadDto): Promise<void> {
    return this.tickets.read(id, dto.seq);
  }

  @Get('agents')
  listAgents(): Promise<AgentView[]> {
    return this.agents.list();
  }
}
