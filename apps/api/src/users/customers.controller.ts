import { Body, Controller, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
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
import { CreateCustomerDto, CreatedCustomerDto, CustomerDto, UpdateCustomerDto } from './create-customer.dto';
import type { Customer } from './customers.repository';
import { type CreatedCustomer, CustomersService } from './customers.service';

const USERNAME_PARAM = {
  name: 'username',
  description: "The shop's username of the customer.",
  example: 'ada.lovelace',
};

/** The shop backend creates its customers here (and at the tutorial's `POST /user`, form or JSON). */
@Controller()
@UseGuards(IntegrationTokenGuard)
@ApiTags(Tag.Integration)
@ApiBearerAuth(Auth.Integration)
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post(['api/users', 'user'])
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a customer',
    description:
      'Creates a shop customer and their chat conversation. `POST /user` is the same route under the seed ' +
      "tutorial's path. Not idempotent by itself: a retry after a lost answer gets 409 `customer/username_taken`, " +
      'which means the customer exists.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({
    type: CreateCustomerDto,
    examples: {
      full: {
        summary: 'With email and phone',
        value: {
          username: 'ada.lovelace',
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          phone: '+447700900001',
        },
      },
      minimal: {
        summary: 'Username only (add an email before the first order)',
        value: { username: 'ada.lovelace' },
      },
    },
  })
  @ApiCreatedResponse({
    description: 'Created.',
    type: CreatedCustomerDto,
    example: { id: '1042', username: 'ada.lovelace', conversationId: '2087' },
  })
  @ApiErrors(
    Err.validation([{ field: 'email', message: 'email must be an email address' }]),
    Err.malformedJson(),
    Err.integrationToken(),
    Err.of(409, ErrorCode.UsernameTaken, 'The username ada.lovelace is taken'),
    Err.of(409, ErrorCode.PhoneTaken, 'The phone number +447700900001 belongs to another customer'),
    Err.mediaType(),
  )
  create(@Body() dto: CreateCustomerDto): Promise<CreatedCustomer> {
    return this.customers.create(dto);
  }

  @Patch('api/users/:username')
  @ApiOperation({
    summary: 'Update a customer',
    description: 'Changes only the fields given, e.g. adds the email an order needs. Idempotent.',
  })
  @ApiParam(USERNAME_PARAM)
  @ApiBody({
    type: UpdateCustomerDto,
    examples: { email: { summary: 'Add an email', value: { email: 'ada@example.com' } } },
  })
  @ApiOkResponse({
    description: 'The customer as it is now.',
    type: CustomerDto,
    example: {
      id: '1042',
      username: 'ada.lovelace',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+447700900001',
    },
  })
  @ApiErrors(
    Err.validation([
      { field: 'phone', message: 'phone must be a phone number in international format, e.g. +447700900001' },
    ]),
    Err.integrationToken(),
    Err.of(404, ErrorCode.CustomerNotFound, 'No customer with username ada.lovelace'),
    Err.of(409, ErrorCode.PhoneTaken, 'The phone number +447700900001 belongs to another customer'),
  )
  update(@Param('username') username: string, @Body() dto: UpdateCustomerDto): Promise<Customer> {
    return this.customers.update(username, dto);
  }
}
