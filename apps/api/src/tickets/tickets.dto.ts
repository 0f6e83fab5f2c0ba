import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

/** Checks run bottom-up and stop at a field's first failure, so each field's basic rule comes last. */
export class ListTicketsQuery {
  @IsOptional()
  @IsIn(['open', 'pending', 'resolved', 'unresolved'], {
    message: 'status must be open, pending, resolved or unresolved',
  })
  status?: 'open' | 'pending' | 'resolved' | 'unresolved';

  @IsOptional()
  @IsIn(['sms', 'chat'], { message: 'channel must be sms or chat' })
  channel?: 'sms' | 'chat';

  @IsOptional()
  @Matches(/^(me|none|\d{1,18})$/, { message: 'assignee must be me, none or an agent id' })
  assignee?: string;

  @IsOptional()
  @MaxLength(200)
  @IsString()
  q?: string;

  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt({ message: 'page must be a whole number' })
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @Max(100)
  @Min(1)
  @IsInt({ message: 'pageSize must be a whole number' })
  pageSize?: number;
}

export class ReplyDto {
  @MaxLength(2000, { message: 'body must be at most 2000 characters' })
  @IsString({ message: 'body is required' })
  body: string;

  @IsOptional()
  @IsString()
  clientId?: string;
}

export class UpdateTicketDto {
  @IsOptional()
  @IsIn(['open', 'pending', 'resolved'], { message: 'status must be open, pending or resolved' })
  status?: 'open' | 'pending' | 'resolved';

  @ValidateIf((dto: UpdateTicketDto) => dto.assigneeId !== undefined && dto.assigneeId !== null)
  @Matches(/^\d{1,18}$/, { message: 'assigneeId must be an agent id or null' })
  @IsString({ message: 'assigneeId must be an agent id or null' })
  assigneeId?: string | null;
}

export class ReadDto {
  @Min(0)
  @IsInt({ message: 'seq must be a whole number' })
  seq: number;
}
