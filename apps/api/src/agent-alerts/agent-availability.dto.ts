import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type {
  AgentAvailability,
  AvailabilityUpdate,
  CodeSms,
  MobileConfirmation,
  MobileRequest,
  QuietHours,
} from '@switchboard/contracts';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

@ApiSchema({ name: 'QuietHours' })
export class QuietHoursDto implements QuietHours {
  @ApiProperty({ description: '`HH:MM`, 24-hour, in `timeZone`.', example: '22:00' })
  @Matches(HH_MM, { message: 'quietHours.from must be a time HH:MM, e.g. 22:00' })
  @IsString({ message: 'quietHours.from must be a time HH:MM, e.g. 22:00' })
  from: string;

  @ApiProperty({
    description: '`HH:MM`, 24-hour; earlier than `from`: the hours span midnight.',
    example: '07:00',
  })
  @Matches(HH_MM, { message: 'quietHours.to must be a time HH:MM, e.g. 07:00' })
  @IsString({ message: 'quietHours.to must be a time HH:MM, e.g. 07:00' })
  to: string;

  @ApiProperty({ description: 'IANA time zone.', example: 'Europe/London', maxLength: 64 })
  @MaxLength(64, { message: 'quietHours.timeZone must be a time zone, e.g. Europe/London' })
  @IsString({ message: 'quietHours.timeZone must be a time zone, e.g. Europe/London' })
  timeZone: string;
}

@ApiSchema({ name: 'CodeSms' })
export class CodeSmsDto implements CodeSms {
  @ApiProperty({ enum: ['queued', 'submitted', 'sent', 'delivered', 'failed'], example: 'delivered' })
  status: CodeSms['status'];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it failed (the provider’s or the carrier’s reason, a STOP …).',
    example: null,
  })
  error: string | null;
}

@ApiSchema({ name: 'AgentAvailability' })
export class AgentAvailabilityDto implements AgentAvailability {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The confirmed mobile chat alerts go to.',
    example: '+447700900123',
  })
  mobile: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A number waiting for the code sent to it (valid 10 minutes).',
    example: null,
  })
  pendingMobile: string | null;

  @ApiProperty({ type: CodeSmsDto, nullable: true, description: 'How the SMS carrying the code is faring.' })
  codeSms: CodeSmsDto | null;

  @ApiProperty({ description: 'Customers opening their chat alert this agent by SMS.', example: true })
  onDuty: boolean;

  @ApiProperty({ type: QuietHoursDto, nullable: true, description: 'No alerts in these hours.' })
  quietHours: QuietHoursDto | null;

  @ApiProperty({
    description: 'The mobile texted STOP: nothing is sent to it until it texts START.',
    example: false,
  })
  smsStopped: boolean;
}

@ApiSchema({ name: 'AvailabilityUpdate' })
export class AvailabilityUpdateDto implements AvailabilityUpdate {
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean({ message: 'onDuty must be true or false' })
  onDuty?: boolean;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'null: no quiet hours.' })
  @ValidateIf(
    (update: AvailabilityUpdateDto) => update.quietHours !== null && update.quietHours !== undefined,
  )
  @ValidateNested()
  @Type(() => QuietHoursDto)
  @IsObject({ message: 'quietHours must be { from, to, timeZone } or null' })
  quietHours?: QuietHoursDto | null;
}

@ApiSchema({ name: 'MobileRequest' })
export class MobileRequestDto implements MobileRequest {
  @ApiProperty({ description: 'International format (E.164).', example: '+447700900123' })
  @Matches(/^\+[1-9]\d{6,14}$/, {
    message: 'mobile must be a phone number in international format, e.g. +447700900123',
  })
  @IsString({ message: 'mobile must be a phone number in international format, e.g. +447700900123' })
  mobile: string;
}

@ApiSchema({ name: 'MobileConfirmation' })
export class MobileConfirmationDto implements MobileConfirmation {
  @ApiProperty({ description: 'The six digits sent by SMS.', example: '042917' })
  @Matches(/^\d{6}$/, { message: 'code must be the six digits we sent' })
  @IsString({ message: 'code must be the six digits we sent' })
  code: string;
}
