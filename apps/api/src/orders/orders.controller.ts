import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { IntegrationTokenGuard } from '../auth/integration-token.guard';
import { CreateOrderDto, TutorialOrderDto } from './create-order.dto';
import type { StoredOrder } from './orders.repository';
import { DEMO_ORDER, OrdersService, type PlacedOrder } from './orders.service';

/** The shop backend's orders. Each one emails its customer a confirmation with a link to the chat. */
@Controller()
@UseGuards(IntegrationTokenGuard)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('api/orders')
  @HttpCode(201)
  place(@Body() dto: CreateOrderDto): Promise<PlacedOrder> {
    return this.orders.place(dto.username, dto.items, dto.currency);
  }

  /** The tutorial's route: with only a username it places the tutorial's demo order. */
  @Post('order')
  @HttpCode(201)
  placeTutorial(@Body() dto: TutorialOrderDto): Promise<PlacedOrder> {
    return this.orders.place(dto.username, dto.items ?? DEMO_ORDER, dto.currency);
  }

  @Get('api/users/:username/orders')
  history(@Param('username') username: string): Promise<StoredOrder[]> {
    return this.orders.history(username);
  }
}
