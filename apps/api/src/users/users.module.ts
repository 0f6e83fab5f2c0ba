import { Module } from '@nestjs/common';
import { ConversationProviderModule } from '../chat/providers/conversation-provider.module';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  imports: [ConversationProviderModule],
  controllers: [CustomersController],
  providers: [CustomersService, CustomersRepository],
  exports: [CustomersService, CustomersRepository],
})
export class UsersModule {}
