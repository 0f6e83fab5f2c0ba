import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { CustomerChatLinksController } from './customer-chat-links.controller';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  imports: [ChatModule],
  controllers: [CustomersController, CustomerChatLinksController],
  providers: [CustomersService, CustomersRepository],
  exports: [CustomersService, CustomersRepository],
})
export class UsersModule {}
