import { Body, Controller, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { IntegrationTokenGuard } from '../auth/integration-token.guard';
import { CreateCustomerDto, UpdateCustomerDto } from './create-customer.dto';
import type { Customer } from './customers.repository';
import { type CreatedCustomer, CustomersService } from './customers.service';

/** The shop backend creates its customers here (and at the tutorial's `POST /user`, form or JSON). */
@Controller()
@UseGuards(IntegrationTokenGuard)
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post(['api/users', 'user'])
  @HttpCode(201)
  create(@Body() dto: CreateCustomerDto): Promise<CreatedCustomer> {
    return this.customers.create(dto);
  }

  @Patch('api/users/:username')
  update(@Param('username') username: string, @Body() dto: UpdateCustomerDto): Promise<Customer> {
    return this.customers.update(username, dto);
  }
}
