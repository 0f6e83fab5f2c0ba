import { IsString, Matches, MaxLength } from 'class-validator';

export class CreateChatSessionDto {
  @Matches(/^\d{1,18}$/, { message: 'conversationId must be the number in the chat link' })
  @IsString({ message: 'conversationId is required' })
  conversationId: string;

  @MaxLength(2048)
  @IsString({ message: 'token is required: the token of the chat link' })
  token: string;
}
