import { Module } from '@nestjs/common';
import { ConversationProviderModule } from '../chat/providers/conversation-provider.module';
import { EmailModule } from '../email/email.module';
import { UsersModule } from '../users/users.module';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  imports: [UsersModule, EmailModule, ConversationProviderModule],
  controllers: [OrdersController],
  providers: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
