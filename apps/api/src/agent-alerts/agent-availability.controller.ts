import { Body, Controller, Delete, Get, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AgentAvailability, ErrorCode } from '@switchboard/contracts';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AgentGuard } from '../auth/agent.guard';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import {
  AgentAvailabilityDto,
  AvailabilityUpdateDto,
  MobileConfirmationDto,
  MobileRequestDto,
} from './agent-availability.dto';
import { AgentAvailabilityService } from './agent-availability.service';

type Agent = Exclude<Principal, { role: 'customer' }>;

const EXAMPLE: AgentAvailability = {
  mobile: '+447700900123',
  pendingMobile: null,
  codeSms: null,
  onDuty: true,
  quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/London' },
  smsStopped: false,
};

/** The signed-in agent's own availability: the mobile chat alerts go to, on duty, quiet hours. */
@Controller('api/agents/me')
@ApiTags(Tag.Tickets)
@ApiBearerAuth(Auth.Agent)
@UseGuards(AgentGuard)
export class AgentAvailabilityController {
  constructor(private readonly availability: AgentAvailabilityService) {}

  @Get('availability')
  @ApiOperation({ summary: 'My availability for chat alerts' })
  @ApiOkResponse({ type: AgentAvailabilityDto, example: EXAMPLE })
  @ApiErrors(...Err.agentOnly())
  get(@CurrentPrincipal() agent: Agent): Promise<AgentAvailability> {
    return this.availability.get(agent.agentId);
  }

  @Patch('availability')
  @ApiOperation({
    summary: 'Go on or off duty, set quiet hours',
    description:
      'On duty, a customer opening their chat sends this agent an SMS (with a confirmed mobile; the assignee ' +
      'first, see AGENT_ALERT_ROUTING), except in their quiet hours.',
  })
  @ApiBody({ type: AvailabilityUpdateDto })
  @ApiOkResponse({ type: AgentAvailabilityDto, example: EXAMPLE })
  @ApiErrors(
    Err.validation([
      { field: 'quietHours.from', message: 'quietHours.from must be a time HH:MM, e.g. 22:00' },
    ]),
    ...Err.agentOnly(),
  )
  update(@CurrentPrincipal() agent: Agent, @Body() dto: AvailabilityUpdateDto): Promise<AgentAvailability> {
    return this.availability.update(agent.agentId, dto);
  }

  @Post('mobile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a confirmation code to my mobile',
    description:
      'Texts a six-digit code to the number; it becomes the agent’s mobile once the code comes back ' +
      '(`POST /api/agents/me/mobile/confirm`). At most three codes an hour; a code works 10 minutes, five tries. ' +
      'Only numbers in SMS_ALLOWED_COUNTRIES.',
  })
  @ApiBody({ type: MobileRequestDto })
  @ApiOkResponse({
    type: AgentAvailabilityDto,
    example: { ...EXAMPLE, pendingMobile: '+447700900456', codeSms: { status: 'queued', error: null } },
  })
  @ApiErrors(
    Err.validation([
      {
        field: 'mobile',
        message: 'mobile must be a phone number in international format, e.g. +447700900123',
      },
    ]),
    ...Err.agentOnly(),
    Err.of(
      409,
      ErrorCode.MobileTaken,
      'This number is already someone else’s (a customer’s or another agent’s)',
    ),
    Err.of(429, ErrorCode.TooManyRequests, 'At most 3 codes an hour: try again later'),
  )
  requestCode(@CurrentPrincipal() agent: Agent, @Body() dto: MobileRequestDto): Promise<AgentAvailability> {
    return this.availability.requestCode(agent.agentId, dto.mobile);
  }

  @Post('mobile/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm my mobile with the code it received' })
  @ApiBody({ type: MobileConfirmationDto })
  @ApiOkResponse({ type: AgentAvailabilityDto, example: EXAMPLE })
  @ApiErrors(
    Err.validation([{ field: 'code', message: 'code is not the one we sent' }]),
    ...Err.agentOnly(),
    Err.of(
      409,
      ErrorCode.NoMobilePending,
      'No code is waiting: it expired or was tried too often. Ask for a new one',
    ),
    Err.of(
      409,
      ErrorCode.MobileTaken,
      'This number is already someone else’s (a customer’s or another agent’s)',
    ),
  )
  confirm(@CurrentPrincipal() agent: Agent, @Body() dto: MobileConfirmationDto): Promise<AgentAvailability> {
    return this.availability.confirm(agent.agentId, dto.code);
  }

  @Delete('mobile')
  @ApiOperation({ summary: 'Remove my mobile (no more SMS alerts)' })
  @ApiOkResponse({ type: AgentAvailabilityDto, example: { ...EXAMPLE, mobile: null } })
  @ApiErrors(...Err.agentOnly())
  removeMobile(@CurrentPrincipal() agent: Agent): Promise<AgentAvailability> {
    return this.availability.removeMobile(agent.agentId);
  }
}
