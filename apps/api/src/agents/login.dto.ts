import { IsEmail, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @MaxLength(1024)
  @IsString({ message: 'password is required' })
  password: string;
}
