import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AgentUpdateRequest, AgentView, SignedInResponse } from '@switchboard/contracts';
import { IsBoolean, IsEmail, IsString, MaxLength } from 'class-validator';

@ApiSchema({ name: 'LoginRequest' })
export class LoginDto {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'agent@switchboard.local' })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty({ format: 'password', maxLength: 1024, example: 'correct horse battery staple' })
  @MaxLength(1024)
  @IsString({ message: 'password is required' })
  password: string;
}

/** An agent, as the console shows them (`GET /api/agents`, `GET /api/auth/me`). */
@ApiSchema({ name: 'AgentView' })
export class AgentViewDto implements AgentView {
  @ApiProperty({ example: '7' })
  id: string;

  @ApiProperty({ format: 'email', example: 'grace@example.com' })
  email: string;

  @ApiProperty({ example: 'Grace Hopper' })
  name: string;

  @ApiProperty({ enum: ['agent', 'admin'], example: 'agent' })
  role: 'agent' | 'admin';

  @ApiProperty({
    description: 'Cannot sign in and is not offered as an assignee (admins disable and re-enable agents).',
    example: false,
  })
  disabled: boolean;
}

/** Login and refresh answer; the refresh token goes only into the httpOnly `sb_refresh` cookie. */
@ApiSchema({ name: 'SignedInResponse' })
export class SignedInResponseDto implements SignedInResponse {
  @ApiProperty({
    description: 'Bearer token for the agent routes and the agent socket.',
    example: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWdlbnQifQ.c2ln',
  })
  accessToken: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until it expires: refresh before.', example: 900 })
  expiresIn: number;

  @ApiProperty({ type: AgentViewDto })
  agent: AgentViewDto;
}

@ApiSchema({ name: 'AgentUpdateRequest' })
export class AgentUpdateDto implements AgentUpdateRequest {
  @ApiProperty({
    description: 'true: the agent cannot sign in and every session of theirs ends; false: they can again.',
    example: true,
  })
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled: boolean;
}
