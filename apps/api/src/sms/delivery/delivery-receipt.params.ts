import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Vonage's delivery-receipt webhook parameters (all strings); unknown ones are kept. */
@ApiSchema({
  name: 'DeliveryReceiptParams',
  description:
    "Vonage's delivery-receipt (DLR) webhook parameters, as query parameters (GET), form fields or JSON (POST). " +
    'One receipt per SMS part; unknown parameters are kept.',
})
export class DeliveryReceiptParams {
  @ApiProperty({
    description: "Vonage's id of the sent SMS part (`message-id` of the send answer).",
    example: '0A0000000123ABCD2',
    maxLength: 64,
  })
  @IsNotEmpty({ message: 'messageId must not be empty' })
  @MaxLength(64)
  @IsString({ message: 'messageId is required' })
  messageId: string;

  @ApiProperty({
    description:
      '`delivered`, `expired`, `failed`, `undelivered`, `rejected` (final) or `accepted`, `buffered` (interim), ' +
      'or `unknown`. An SMS only moves forward: a late `accepted` never undoes `delivered`.',
    example: 'delivered',
    maxLength: 32,
  })
  @IsNotEmpty({ message: 'status must not be empty' })
  @MaxLength(32)
  @IsString({ message: 'status is required' })
  status: string;

  @ApiPropertyOptional({
    description: "`0` when delivered; otherwise the carrier's reason code (kept on the SMS).",
    example: '0',
  })
  @IsOptional()
  @IsString()
  'err-code'?: string;

  @ApiPropertyOptional({
    description:
      "Our id of the SMS, echoed from the send: matches a receipt that arrives before the send's answer.",
    example: '90421',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  'client-ref'?: string;

  @ApiPropertyOptional({ description: 'The recipient (the customer).', example: '447700900001' })
  @IsOptional()
  @IsString()
  msisdn?: string;

  @ApiPropertyOptional({ description: 'The sender we used (our number).', example: '447700900000' })
  @IsOptional()
  @IsString()
  to?: string;

  // Documented only: kept as they arrive, or checked by WebhookVerifier.
  @ApiPropertyOptional({ description: "The recipient's network (MCCMNC).", example: '23410' })
  'network-code'?: string;

  @ApiPropertyOptional({ description: 'What the part cost.', example: '0.03330000' })
  price?: string;

  @ApiPropertyOptional({ description: "The carrier's timestamp, `YYMMDDHHMM`.", example: '2611031209' })
  scts?: string;

  @ApiPropertyOptional({
    description: "The sending Vonage account's API key; unsigned webhooks must carry ours.",
    example: 'abcd1234',
  })
  'api-key'?: string;

  @ApiPropertyOptional({
    description: 'When Vonage sent the receipt, UTC `YYYY-MM-DD HH:MM:SS`.',
    example: '2026-11-03 12:09:05',
  })
  'message-timestamp'?: string;

  @ApiPropertyOptional({
    description: 'Signed webhooks: Unix seconds, within 5 minutes of our clock.',
    example: '1793707745',
  })
  timestamp?: string;

  @ApiPropertyOptional({
    description: 'Signed webhooks: used once.',
    example: 'bbbbbbbb-cccc-dddd-eeee-0123456789ab',
  })
  nonce?: string;

  @ApiPropertyOptional({
    description: 'Signed webhooks: the signature over every other parameter.',
    example: '5F36DB318717A2C37E1CCDB53FD5AD8128F2424E6A7DD5208B83B925D2DDF7D3',
  })
  sig?: string;
}
