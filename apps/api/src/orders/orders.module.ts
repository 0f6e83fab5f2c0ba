import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { ThreadModule } from '../thread/thread.module';
import { UsersModule } from '../users/users.module';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  imports: [UsersModule, ChatModule, ThreadModule],
  controllers: [OrdersController],
  providers: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
