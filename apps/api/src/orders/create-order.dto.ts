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

/** Checks run bottom-up and stop at a field's first failure, so each field's basic rule comes last. */
export class OrderItemDto {
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @MinLength(1, { message: 'name must not be empty' })
  @IsString({ message: 'name is required' })
  name: string;

  @Max(10_000, { message: 'quantity must be at most 10000' })
  @Min(1, { message: 'quantity must be at least 1' })
  @IsInt({ message: 'quantity must be a whole number' })
  quantity: number;

  @Max(1_000_000_000, { message: 'unitPrice is too large' })
  @Min(0, { message: 'unitPrice must not be negative' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'unitPrice must be a number, e.g. 4.99' })
  unitPrice: number;
}

export class CreateOrderDto {
  @IsString({ message: 'username is required' })
  username: string;

  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  @ArrayMaxSize(100, { message: 'items must have at most 100 entries' })
  @ArrayMinSize(1, { message: 'items must have at least one entry' })
  @IsArray({ message: 'items is required: a list of { name, quantity, unitPrice }' })
  items: OrderItemDto[];

  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code, e.g. USD' })
  @IsString({ message: 'currency must be text' })
  currency?: string;
}

/** The tutorial's `POST /order`: only a username, for its demo order. */
export class TutorialOrderDto {
  @IsString({ message: 'username is required' })
  username: string;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  @ArrayMaxSize(100)
  @ArrayMinSize(1)
  @IsArray()
  items?: OrderItemDto[];

  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code, e.g. USD' })
  currency?: string;
}
