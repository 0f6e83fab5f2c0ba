import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { IntegrationTokenGuard } from '../auth/integration-token.guard';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { CreateOrderDto, PlacedOrderDto, StoredOrderDto, TutorialOrderDto } from './create-order.dto';
import type { StoredOrder } from './orders.repository';
import { DEMO_ORDER, OrdersService, type PlacedOrder } from './orders.service';

const PLACED = {
  description: 'Placed: the order is stored, the chat shows it, and the confirmation email is queued.',
  type: PlacedOrderDto,
  example: {
    id: '311',
    chatUrl:
      'https://support.example.com/chat/2087/311?token=eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJjaGF0LWxpbmsifQ.c2ln',
  },
};

const PLACE_ERRORS = [
  Err.validation(
    [
      { field: 'items.0.quantity', message: 'quantity must be at least 1' },
      { field: 'items.1.unitPrice', message: 'unitPrice has more than 2 decimals for EUR' },
    ],
    'Bad items',
  ),
  Err.validation([{ field: 'currency', message: 'XYZ is not an ISO 4217 currency' }], 'Unknown currency'),
  Err.malformedJson(),
  ...Err.integrationToken(),
  Err.of(404, ErrorCode.CustomerNotFound, 'No customer with username ada.lovelace'),
  Err.of(
    422,
    ErrorCode.CustomerHasNoEmail,
    'Customer ada.lovelace has no email address, so the order confirmation cannot be sent: ' +
      'add one with PATCH /api/users/ada.lovelace',
  ),
];

/** The shop backend's orders. Each one emails its customer a confirmation with a link to the chat. */
@Controller()
@UseGuards(IntegrationTokenGuard)
@ApiTags(Tag.Integration)
@ApiBearerAuth(Auth.Integration)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('api/orders')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Place an order',
    description:
      "One transaction stores the order and its items, adds an `order-confirm` event to the customer's chat and " +
      'queues the confirmation email (Brevo template params `name`, `order_id`, `order_text`, `url`); nothing is ' +
      'created when anything is refused. Prices go in as decimals (`4.99`), amounts come back in minor units. ' +
      'Not idempotent: a retry places a second order, so check `GET /api/users/{username}/orders` before retrying ' +
      'after a lost answer.',
  })
  @ApiBody({
    type: CreateOrderDto,
    examples: {
      order: {
        summary: 'Two lines in euros',
        value: {
          username: 'ada.lovelace',
          items: [
            { name: 'Widget', quantity: 2, unitPrice: 4.99 },
            { name: 'Gadget', quantity: 1, unitPrice: 12.5 },
          ],
          currency: 'EUR',
        },
      },
    },
  })
  @ApiCreatedResponse(PLACED)
  @ApiErrors(...PLACE_ERRORS)
  place(@Body() dto: CreateOrderDto): Promise<PlacedOrder> {
    return this.orders.place(dto.username, dto.items, dto.currency);
  }

  /** The tutorial's route: with only a username it places the tutorial's demo order. */
  @Post('order')
  @HttpCode(201)
  @ApiOperation({
    summary: "Place the tutorial's order",
    description:
      "The seed tutorial's route, form or JSON. With only a username it places the demo order (one Widget at " +
      '4.99 USD); with `items` it is `POST /api/orders`.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({
    type: TutorialOrderDto,
    examples: { demo: { summary: 'The demo order', value: { username: 'ada.lovelace' } } },
  })
  @ApiCreatedResponse(PLACED)
  @ApiErrors(...PLACE_ERRORS, Err.mediaType())
  placeTutorial(@Body() dto: TutorialOrderDto): Promise<PlacedOrder> {
    return this.orders.place(dto.username, dto.items ?? DEMO_ORDER, dto.currency);
  }

  @Get('api/users/:username/orders')
  @ApiOperation({
    summary: "A customer's orders",
    description:
      "Newest first, with items, totals (integer minor units) and the confirmation email's status and error.",
  })
  @ApiParam({
    name: 'username',
    description: "The shop's username of the customer.",
    example: 'ada.lovelace',
  })
  @ApiOkResponse({
    description: 'The orders, newest first.',
    type: [StoredOrderDto],
    example: [
      {
        id: '311',
        currency: 'EUR',
        total: 2248,
        createdAt: '2026-11-03T12:07:41.512Z',
        items: [
          { name: 'Widget', quantity: 2, unitPrice: 499 },
          { name: 'Gadget', quantity: 1, unitPrice: 1250 },
        ],
        email: {
          status: 'sent',
          error: null,
          providerMessageId: '<202611031207.12345678901@smtp-relay.mailin.fr>',
        },
      },
    ],
  })
  @ApiErrors(
    ...Err.integrationToken(),
    Err.of(404, ErrorCode.CustomerNotFound, 'No customer with username ada.lovelace'),
  )
  history(@Param('username') username: string): Promise<StoredOrder[]> {
    return this.orders.history(username);
  }
}
