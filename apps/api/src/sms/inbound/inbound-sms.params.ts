import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const NUMBER = /^\+?[1-9]\d{6,14}$/;
const isConcat = (params: InboundSmsParams) => params.concat === 'true';

/**
 * The parameters of Vonage's inbound-SMS webhook as they arrive (every value a string; numbers
 * without `+`). Vonage may add parameters: unknown ones are kept (they are part of the signature).
 * Checks stop at a field's first failure and run bottom-up, so each field's basic rule is written last.
 */
@ApiSchema({
  name: 'InboundSmsParams',
  description:
    "Vonage's inbound-SMS webhook parameters, as query parameters (GET), form fields or JSON (POST). Every value " +
    'is a string; numbers are international without `+`. Unknown parameters are kept (they are signed too).',
})
export class InboundSmsParams {
  @ApiProperty({
    description: "The sender's number (the customer).",
    example: '447700900001',
    pattern: '^\\+?[1-9]\\d{6,14}$',
  })
  @Matches(NUMBER, { message: 'msisdn must be a phone number in international format, e.g. 447700900001' })
  @IsString({ message: "msisdn is required: the sender's number" })
  msisdn: string;

  @ApiProperty({ description: 'Our virtual number the SMS was sent to.', example: '447700900000' })
  @Matches(NUMBER, { message: 'to must be a phone number in international format, e.g. 447700900000' })
  @IsString({ message: 'to is required: the number the SMS was sent to' })
  to: string;

  @ApiProperty({
    description:
      "Vonage's id of this message (of this part, for multipart SMS): a retry carries the same id.",
    example: '0A0000000123ABCD1',
    maxLength: 64,
  })
  @IsNotEmpty({ message: 'messageId must not be empty' })
  @MaxLength(64)
  @IsString({ message: 'messageId is required' })
  messageId: string;

  @ApiPropertyOptional({ enum: ['text', 'unicode', 'binary'], example: 'text' })
  @IsOptional()
  @IsIn(['text', 'unicode', 'binary'], { message: 'type must be text, unicode or binary' })
  type?: string;

  @ApiPropertyOptional({
    description: 'The message; required unless `type` is `binary`.',
    example: 'Where is my order?',
    maxLength: 10_000,
  })
  @ValidateIf((params: InboundSmsParams) => params.type !== 'binary')
  @MaxLength(10_000)
  @IsString({ message: 'text is required for a text message' })
  text?: string;

  @ApiPropertyOptional({ description: 'First word of the text, upper-cased.', example: 'WHERE' })
  @IsOptional()
  @IsString()
  keyword?: string;

  @ApiPropertyOptional({
    enum: ['true'],
    description: 'Present on each part of a multipart SMS.',
    example: 'true',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'concat must be "true" or absent' })
  concat?: string;

  @ApiPropertyOptional({
    description: 'Multipart: the reference all parts of one message share (with `msisdn` and `to`).',
    example: '2A',
    maxLength: 32,
  })
  @ValidateIf((params: InboundSmsParams) => isConcat(params) || params['concat-ref'] !== undefined)
  @IsNotEmpty()
  @MaxLength(32)
  @IsString({ message: 'concat-ref is required for a part of a multipart SMS' })
  'concat-ref'?: string;

  @ApiPropertyOptional({ description: 'Multipart: how many parts (2–255).', example: '2' })
  @ValidateIf(isConcat)
  @Matches(/^([2-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/, {
    message: 'concat-total must be a number from 2 to 255',
  })
  'concat-total'?: string;

  @ApiPropertyOptional({
    description: 'Multipart: which part this is, from 1; parts arrive in any order.',
    example: '1',
  })
  @ValidateIf(isConcat)
  @Matches(/^([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/, {
    message: 'concat-part must be a number from 1 to 255',
  })
  'concat-part'?: string;

  @ApiPropertyOptional({
    description: 'When Vonage received it, UTC `YYYY-MM-DD HH:MM:SS`.',
    example: '2026-11-03 12:09:01',
  })
  @IsOptional()
  @IsString()
  'message-timestamp'?: string;

  @ApiPropertyOptional({
    description:
      "The receiving Vonage account's API key. Unsigned webhooks must carry ours (`VONAGE_API_KEY`).",
    example: 'abcd1234',
  })
  @IsOptional()
  @IsString()
  'api-key'?: string;

  // Documented only: the signature is checked by WebhookVerifier before these rules run.
  @ApiPropertyOptional({
    description: 'Signed webhooks: Unix seconds; must be within 5 minutes of our clock.',
    example: '1793707741',
  })
  timestamp?: string;

  @ApiPropertyOptional({
    description: 'Signed webhooks: used once (a replay with another signature is a 401).',
    example: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
  })
  nonce?: string;

  @ApiPropertyOptional({
    description:
      'Signed webhooks: the signature over every other parameter, with `VONAGE_SIGNATURE_SECRET` and ' +
      '`VONAGE_SIGNATURE_METHOD` (md5hash, or md5/sha1/sha256/sha512 HMAC). Hex, any case.',
    example: '72aa3e97330f37966042f0457e416c15',
  })
  sig?: string;
}
