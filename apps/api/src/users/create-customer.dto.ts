import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Checks run bottom-up and stop at a field's first failure, so each field's basic rule comes last. */
export class CreateCustomerDto {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/, {
    message: 'username must be 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit',
  })
  @IsString({ message: 'username is required' })
  username: string;

  @IsOptional()
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @IsString({ message: 'name must be text' })
  name?: string;

  @IsOptional()
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @IsOptional()
  @Matches(/^\+?[1-9]\d{6,14}$/, {
    message: 'phone must be a phone number in international format, e.g. +447700900001',
  })
  @IsString({ message: 'phone must be text' })
  phone?: string;
}

export class UpdateCustomerDto {
  @IsOptional()
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @IsString({ message: 'name must be text' })
  name?: string;

  @IsOptional()
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @IsOptional()
  @Matches(/^\+?[1-9]\d{6,14}$/, {
    message: 'phone must be a phone number in international format, e.g. +447700900001',
  })
  @IsString({ message: 'phone must be text' })
  phone?: string;
}
