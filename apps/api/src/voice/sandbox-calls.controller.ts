import { Controller, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode, type SandboxCall } from '@switchboard/contracts';
import { ApiException } from '../http/api-exception';
import { ApiErrors, Err, Tag } from '../http/openapi';
import { SandboxAccessGuard } from '../sandbox/sandbox-access.guard';
import { SandboxVoiceNetwork } from './sandbox-voice-network';

@ApiSchema({ name: 'SandboxCall' })
class SandboxCallDto implements SandboxCall {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '+447700900000' })
  from: string;

  @ApiProperty({ enum: ['ringing', 'answered', 'completed', 'busy', 'timeout', 'cancelled'] })
  status: SandboxCall['status'];

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  answeredAt: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  endedAt: string | null;
}

const LEG_PARAM = {
  name: 'id',
  description: 'The call leg, from the phone’s list of calls.',
  format: 'uuid',
};
const BAD_ID = Err.validation([{ field: 'id', message: 'id must be the call’s id (a UUID)' }]);
const NOT_RINGING = Err.of(409, ErrorCode.CallNotFound, 'This call is not ringing any more');

/**
 * The phone simulator's side of the sandbox's calls: what rings on a number, and its buttons.
 * Mounted with the sandbox's voice; agents only in production (`SANDBOX=true`).
 */
@Controller('api/sandbox')
@ApiTags(Tag.Sandbox)
@UseGuards(SandboxAccessGuard)
export class SandboxCallsController {
  constructor(private readonly network: SandboxVoiceNetwork) {}

  @Get('phones/:number/calls')
  @ApiOperation({
    summary: "Sandbox phone: a number's calls",
    description:
      'Calls ringing or going on at this simulated phone, and those that ended in the last minute; newest first.',
  })
  @ApiParam({ name: 'number', description: 'International format, `+` optional.', example: '447700900001' })
  @ApiOkResponse({
    type: SandboxCallDto,
    isArray: true,
    example: [
      {
        id: '63f61863-4a51-4f6b-86e1-46edebcf9356',
        from: '+447700900000',
        status: 'ringing',
        answeredAt: null,
        endedAt: null,
      },
    ] satisfies SandboxCall[],
  })
  @ApiErrors(
    Err.validation([
      {
        field: 'number',
        message: 'number must be a phone number in international format, e.g. 447700900001',
      },
    ]),
  )
  calls(@Param('number') number: string): Promise<SandboxCall[]> {
    const digits = number.replace(/^\+/, '');
    if (!/^[1-9]\d{6,14}$/.test(digits)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid number', [
        {
          field: 'number',
          message: 'number must be a phone number in international format, e.g. 447700900001',
        },
      ]);
    }
    return this.network.callsTo(digits);
  }

  @Post('calls/:id/answer')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sandbox phone: answer',
    description: 'The ringing phone picks up; the call goes on as its NCCO says.',
  })
  @ApiParam(LEG_PARAM)
  @ApiNoContentResponse()
  @ApiErrors(BAD_ID, NOT_RINGING)
  async answer(@Param('id') id: string): Promise<void> {
    if (!(await this.network.answer(legId(id)))) throw notRinging();
  }

  @Post('calls/:id/decline')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sandbox phone: decline',
    description: 'The ringing phone declines: the network reports busy.',
  })
  @ApiParam(LEG_PARAM)
  @ApiNoContentResponse()
  @ApiErrors(BAD_ID, NOT_RINGING)
  async decline(@Param('id') id: string): Promise<void> {
    if (!(await this.network.decline(legId(id)))) throw notRinging();
  }

  @Post('calls/:id/hang-up')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sandbox phone: hang up', description: 'Ends the answered call for both phones.' })
  @ApiParam(LEG_PARAM)
  @ApiNoContentResponse()
  @ApiErrors(BAD_ID, Err.of(409, ErrorCode.CallNotFound, 'This call is not going on'))
  async hangUp(@Param('id') id: string): Promise<void> {
    if (!(await this.network.hangUpPhone(legId(id)))) {
      throw new ApiException(HttpStatus.CONFLICT, ErrorCode.CallNotFound, 'This call is not going on');
    }
  }
}

/** A leg id is a UUID, or 400 naming it. */
function legId(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id;
  throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid id', [
    { field: 'id', message: 'id must be the call’s id (a UUID)' },
  ]);
}

function notRinging(): ApiException {
  return new ApiException(HttpStatus.CONFLICT, ErrorCode.CallNotFound, 'This call is not ringing any more');
}
