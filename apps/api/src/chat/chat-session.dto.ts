import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ChatSessionResponse, ChatTransportName } from '@switchboard/contracts';
import { IsString, Matches, MaxLength } from 'class-validator';

/** `POST /api/chat/session` body: the two parts of the emailed chat link. */
@ApiSchema({ name: 'ChatSessionRequest' })
export class CreateChatSessionDto {
  @ApiProperty({
    description: 'The number after `/chat/` in the link.',
    example: '2087',
    pattern: '^\\d{1,18}$',
  })
  @Matches(/^\d{1,18}$/, { message: 'conversationId must be the number in the chat link' })
  @IsString({ message: 'conversationId is required' })
  conversationId: string;

  @ApiProperty({
    description: 'The `token` query parameter of the link.',
    example: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJjaGF0LWxpbmsifQ.c2ln',
    maxLength: 2048,
  })
  @MaxLength(2048)
  @IsString({ message: 'token is required: the token of the chat link' })
  token: string;
}

@ApiSchema({ name: 'ChatCustomer' })
export class ChatCustomerDto {
  @ApiProperty({ example: '1042' })
  id: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;
}

/** `POST /api/chat/session` answer. */
@ApiSchema({ name: 'ChatSessionResponse' })
export class ChatSessionResponseDto implements ChatSessionResponse {
  @ApiProperty({
    description: 'Bearer token for the conversation routes and the socket.io handshake (`auth.token`).',
    example: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY3VzdG9tZXIifQ.c2ln',
  })
  accessToken: string;

  @ApiProperty({
    type: 'integer',
    description: 'Seconds until it expires; renew before by posting the link again.',
    example: 900,
  })
  expiresIn: number;

  @ApiProperty({ example: '2087' })
  conversationId: string;

  @ApiProperty({ type: ChatCustomerDto })
  customer: ChatCustomerDto;

  @ApiProperty({ enum: ['socket', 'vonage'], example: 'socket', description: 'How live messages travel.' })
  transport: ChatTransportName;
}
