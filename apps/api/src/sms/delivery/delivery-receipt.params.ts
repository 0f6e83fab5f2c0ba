import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Vonage's delivery-receipt webhook parameters (all strings); unknown ones are kept. */
export class DeliveryReceiptParams {
  @IsNotEmpty({ message: 'messageId must not be empty' })
  @MaxLength(64)
  @IsString({ message: 'messageId is required' })
  messageId: string;

  @IsNotEmpty({ message: 'status must not be empty' })
  @MaxLength(32)
  @IsString({ message: 'status is required' })
  status: string;

  @IsOptional()
  @IsString()
  'err-code'?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  'client-ref'?: string;

  @IsOptional()
  @IsString()
  msisdn?: string;

  @IsOptional()
  @IsString()
  to?: string;
}
