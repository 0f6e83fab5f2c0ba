import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const NUMBER = /^\+?[1-9]\d{6,14}$/;
const isConcat = (params: InboundSmsParams) => params.concat === 'true';

/**
 * The parameters of Vonage's inbound-SMS webhook as they arrive (every value a string; numbers
 * without `+`). Vonage may add parameters: unknown ones are kept (they are part of the signature).
 * Checks stop at a field's first failure and run bottom-up, so each field's basic rule is written last.
 */
export class InboundSmsParams {
  @Matches(NUMBER, { message: 'msisdn must be a phone number in international format, e.g. 447700900001' })
  @IsString({ message: "msisdn is required: the sender's number" })
  msisdn: string;

  @Matches(NUMBER, { message: 'to must be a phone number in international format, e.g. 447700900000' })
  @IsString({ message: 'to is required: the number the SMS was sent to' })
  to: string;

  @IsNotEmpty({ message: 'messageId must not be empty' })
  @MaxLength(64)
  @IsString({ message: 'messageId is required' })
  messageId: string;

  @IsOptional()
  @IsIn(['text', 'unicode', 'binary'], { message: 'type must be text, unicode or binary' })
  type?: string;

  @ValidateIf((params: InboundSmsParams) => params.type !== 'binary')
  @MaxLength(10_000)
  @IsString({ message: 'text is required for a text message' })
  text?: string;

  @IsOptional()
  @IsString()
  keyword?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'concat must be "true" or absent' })
  concat?: string;

  @ValidateIf(isConcat)
  @IsNotEmpty()
  @MaxLength(32)
  @IsString({ message: 'concat-ref is required for a part of a multipart SMS' })
  'concat-ref'?: string;

  @ValidateIf(isConcat)
  @Matches(/^([2-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/, {
    message: 'concat-total must be a number from 2 to 255',
  })
  'concat-total'?: string;

  @ValidateIf(isConcat)
  @Matches(/^([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/, {
    message: 'concat-part must be a number from 1 to 255',
  })
  'concat-part'?: string;

  @IsOptional()
  @IsString()
  'message-timestamp'?: string;

  @IsOptional()
  @IsString()
  'api-key'?: string;
}
