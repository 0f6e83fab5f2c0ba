import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AgentGuard } from '../auth/agent.guard';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { CustomersService } from './customers.service';

/** Agents withdraw a customer's chat links, e.g. when an order email reached the wrong person. */
@Controller('api/customers')
@UseGuards(AgentGuard)
@ApiTags(Tag.Tickets)
@ApiBearerAuth(Auth.Agent)
export class CustomerChatLinksController {
  constructor(private readonly customers: CustomersService) {}

  @Delete(':id/chat-links')
  @HttpCode(204)
  @ApiOperation({
    summary: "Withdraw a customer's chat links",
    description:
      'Every chat link sent to the customer so far stops working (`chat/link_revoked`), and the chat sessions ' +
      'opened with them end: their sockets are closed on every instance within a few seconds. The link in their ' +
      'next order email works.',
  })
  @ApiParam({ name: 'id', description: "The customer's id (a ticket's `customer.id`).", example: '1042' })
  @ApiNoContentResponse({ description: 'Withdrawn.' })
  @ApiErrors(...Err.agentOnly(), Err.of(404, ErrorCode.CustomerNotFound, 'No customer 1042'))
  withdraw(
    @CurrentPrincipal() agent: Exclude<Principal, { role: 'customer' }>,
    @Param('id') id: string,
  ): Promise<void> {
    return this.customers.withdrawChatLinks(id, agent);
  }
}
