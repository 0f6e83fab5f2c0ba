import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ChatSessionResponse, ChatTransportName, VonageChatSession } from '@switchboard/contracts';
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

@ApiSchema({
  name: 'VonageChatSession',
  description: 'For `nexmo-client` in the browser (Vonage mode only).',
})
export class VonageChatSessionDto implements VonageChatSession {
  @ApiProperty({
    description:
      "Client SDK JWT (RS256): `sub` is the customer's Vonage user, the ACL names only their user and conversation.",
    example: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzd2l0Y2hib2FyZC1jdXN0b21lci0xMDQyIn0.c2ln',
  })
  token: string;

  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds until it expires (at most 3600).' })
  expiresIn: number;

  @ApiProperty({ example: 'CON-bc643220-2542-499a-892e-c982c4bd7e3b' })
  conversationId: string;

  @ApiProperty({ example: 'USR-82e028d9-5201-4f1e-8188-604b2d3471ec' })
  userId: string;
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

  @ApiProperty({
    enum: ['socket', 'vonage'],
    example: 'socket',
    description: 'How live messages travel: our socket.io, or Vonage Conversations where configured.',
  })
  transport: ChatTransportName;

  @ApiPropertyOptional({
    type: VonageChatSessionDto,
    description: 'Present exactly when `transport` is `vonage`.',
  })
  vonage?: VonageChatSessionDto;
}
