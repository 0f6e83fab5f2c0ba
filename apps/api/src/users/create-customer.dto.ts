import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Customer } from './customers.repository';
import type { CreatedCustomer } from './customers.service';

const USERNAME = {
  description:
    "The shop's own id for the customer: 1 to 64 letters, digits or `. _ @ + -`, starting with a letter or digit.",
  example: 'ada.lovelace',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$',
};
const NAME = {
  description: 'How emails and agents address the customer.',
  example: 'Ada Lovelace',
  maxLength: 100,
};
const EMAIL = {
  description: 'Where order confirmations go; an order needs it.',
  example: 'ada@example.com',
  format: 'email',
  maxLength: 254,
};
const PHONE = {
  description:
    'International format, `+` optional (stored as E.164). A number that has texted support before becomes ' +
    'this customer, joining both histories; one that belongs to another shop customer is a 409.',
  example: '+447700900001',
  pattern: '^\\+?[1-9]\\d{6,14}$',
};

/** Checks run bottom-up and stop at a field's first failure, so each field's basic rule comes last. */
@ApiSchema({ name: 'CreateCustomerRequest' })
export class CreateCustomerDto {
  @ApiProperty(USERNAME)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/, {
    message: 'username must be 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit',
  })
  @IsString({ message: 'username is required' })
  username: string;

  @ApiPropertyOptional(NAME)
  @IsOptional()
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @IsString({ message: 'name must be text' })
  name?: string;

  @ApiPropertyOptional(EMAIL)
  @IsOptional()
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional(PHONE)
  @IsOptional()
  @Matches(/^\+?[1-9]\d{6,14}$/, {
    message: 'phone must be a phone number in international format, e.g. +447700900001',
  })
  @IsString({ message: 'phone must be text' })
  phone?: string;
}

@ApiSchema({ name: 'UpdateCustomerRequest', description: 'Only the fields given change.' })
export class UpdateCustomerDto {
  @ApiPropertyOptional(NAME)
  @IsOptional()
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @IsString({ message: 'name must be text' })
  name?: string;

  @ApiPropertyOptional(EMAIL)
  @IsOptional()
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional(PHONE)
  @IsOptional()
  @Matches(/^\+?[1-9]\d{6,14}$/, {
    message: 'phone must be a phone number in international format, e.g. +447700900001',
  })
  @IsString({ message: 'phone must be text' })
  phone?: string;
}

/** `POST /api/users` answer. */
@ApiSchema({ name: 'CreatedCustomer' })
export class CreatedCustomerDto implements CreatedCustomer {
  @ApiProperty({ description: "Switchboard's id for the customer.", example: '1042' })
  id: string;

  @ApiProperty({ example: 'ada.lovelace' })
  username: string;

  @ApiProperty({
    description: "The customer's chat conversation (every order's chat link opens it).",
    example: '2087',
  })
  conversationId: string;
}

/** `PATCH /api/users/:username` answer. */
@ApiSchema({ name: 'Customer' })
export class CustomerDto implements Customer {
  @ApiProperty({ example: '1042' })
  id: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'ada.lovelace',
    description: 'Null for SMS-only customers.',
  })
  username: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+447700900001', description: 'E.164.' })
  phone: string | null;
}
