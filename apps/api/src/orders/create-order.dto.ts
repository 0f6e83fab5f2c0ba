import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { OrderLine, StoredOrder } from './orders.repository';
import type { PlacedOrder } from './orders.service';

const CURRENCY = {
  description:
    'ISO 4217 code, any case; default `USD`. It sets how many decimals `unitPrice` may have (2 for EUR, 0 for JPY).',
  example: 'EUR',
  pattern: '^[A-Za-z]{3}$',
  default: 'USD',
};

/** Checks run bottom-up and stop at a field's first failure, so each field's basic rule comes last. */
@ApiSchema({ name: 'OrderItemRequest' })
export class OrderItemDto {
  @ApiProperty({
    description: 'What the customer bought, as the email shows it.',
    example: 'Widget',
    minLength: 1,
    maxLength: 200,
  })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @MinLength(1, { message: 'name must not be empty' })
  @IsString({ message: 'name is required' })
  name: string;

  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: 10_000 })
  @Max(10_000, { message: 'quantity must be at most 10000' })
  @Min(1, { message: 'quantity must be at least 1' })
  @IsInt({ message: 'quantity must be a whole number' })
  quantity: number;

  @ApiProperty({
    description:
      "Price of one, as a decimal in the currency's major unit (4.99 is €4.99), with at most the currency's " +
      'decimals. Answers give amounts in minor units (499).',
    example: 4.99,
    minimum: 0,
    maximum: 1_000_000_000,
  })
  @Max(1_000_000_000, { message: 'unitPrice is too large' })
  @Min(0, { message: 'unitPrice must not be negative' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'unitPrice must be a number, e.g. 4.99' })
  unitPrice: number;
}

@ApiSchema({ name: 'CreateOrderRequest' })
export class CreateOrderDto {
  @ApiProperty({
    description: 'The customer (created with `POST /api/users`); they need an email.',
    example: 'ada.lovelace',
  })
  @IsString({ message: 'username is required' })
  username: string;

  @ApiProperty({ type: [OrderItemDto], minItems: 1, maxItems: 100 })
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  @ArrayMaxSize(100, { message: 'items must have at most 100 entries' })
  @ArrayMinSize(1, { message: 'items must have at least one entry' })
  @IsArray({ message: 'items is required: a list of { name, quantity, unitPrice }' })
  items: OrderItemDto[];

  @ApiPropertyOptional(CURRENCY)
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code, e.g. USD' })
  @IsString({ message: 'currency must be text' })
  currency?: string;
}

/** The tutorial's `POST /order`: only a username, for its demo order. */
@ApiSchema({ name: 'TutorialOrderRequest' })
export class TutorialOrderDto {
  @ApiProperty({ example: 'ada.lovelace' })
  @IsString({ message: 'username is required' })
  username: string;

  @ApiPropertyOptional({
    type: [OrderItemDto],
    minItems: 1,
    maxItems: 100,
    description: "Default: the tutorial's demo order, one Widget at 4.99.",
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  @ArrayMaxSize(100)
  @ArrayMinSize(1)
  @IsArray()
  items?: OrderItemDto[];

  @ApiPropertyOptional(CURRENCY)
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code, e.g. USD' })
  currency?: string;
}

/** `POST /api/orders` answer. */
@ApiSchema({ name: 'PlacedOrder' })
export class PlacedOrderDto implements PlacedOrder {
  @ApiProperty({ example: '311' })
  id: string;

  @ApiProperty({
    description:
      'The chat link the confirmation email carries: `<PUBLIC_URL>/chat/<conversationId>/<orderId>?token=…`, ' +
      'signed, bound to the customer, valid for `CHAT_LINK_TTL_DAYS`. Give it to the customer if you show it yourself.',
    example:
      'https://support.example.com/chat/2087/311?token=eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJjaGF0LWxpbmsifQ.c2ln',
  })
  chatUrl: string;
}

@ApiSchema({ name: 'OrderLine' })
export class OrderLineDto implements OrderLine {
  @ApiProperty({ example: 'Widget' })
  name: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity: number;

  @ApiProperty({ type: 'integer', description: 'Minor units (cents) of the order currency.', example: 499 })
  unitPrice: number;
}

/** One entry of `GET /api/users/:username/orders`. */
@ApiSchema({ name: 'StoredOrder' })
export class StoredOrderDto implements StoredOrder {
  @ApiProperty({ example: '311' })
  id: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ type: 'integer', description: 'Minor units (cents).', example: 2248 })
  total: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:07:41.512Z' })
  createdAt: string;

  @ApiProperty({ type: [OrderLineDto] })
  items: OrderLine[];

  // Inlined: OpenAPI 3.0 cannot make a `$ref` nullable.
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: "The confirmation email's state; null if none was queued.",
    properties: {
      status: { type: 'string', enum: ['queued', 'sent', 'failed'], example: 'sent' },
      error: {
        type: 'string',
        nullable: true,
        description: "The provider's reason when failed.",
        example: null,
      },
      providerMessageId: {
        type: 'string',
        nullable: true,
        example: '<202611031207.12345678901@smtp-relay.mailin.fr>',
      },
    },
    required: ['status', 'error', 'providerMessageId'],
    selfRequired: true,
  })
  email: StoredOrder['email'];
}
