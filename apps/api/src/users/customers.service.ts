import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';
import { SessionRevocations } from '../auth/session-revocations';
import { ChatConversations } from '../chat/chat-conversations';
import { ApiException } from '../http/api-exception';
import type { CreateCustomerDto, UpdateCustomerDto } from './create-customer.dto';
import { type Customer, CustomersRepository } from './customers.repository';

export interface CreatedCustomer {
  id: string;
  username: string;
  conversationId: string;
}

const e164 = (phone: string) => (phone.startsWith('+') ? phone : `+${phone}`);

@Injectable()
export class CustomersService {
  private readonly logger = new Logger('Customers');

  constructor(
    private readonly customers: CustomersRepository,
    private readonly conversations: ChatConversations,
    private readonly revocations: SessionRevocations,
  ) {}

  /**
   * Withdraws every chat link the customer was sent: the links stop opening the chat, and the chat
   * sessions opened with them end (their sockets close on every instance within seconds). Links in
   * later order emails work again.
   */
  async withdrawChatLinks(customerId: string, by: { agentId: string }): Promise<void> {
    const recorded = await this.customers.transaction(async (manager) => {
      const epoch = await this.customers.withdrawChatLinks(manager, customerId);
      if (epoch === undefined) {
        throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.CustomerNotFound, `No customer ${customerId}`);
      }
      return this.revocations.record(manager, [{ customerId, epoch }]);
    });
    recorded.applied();
    this.logger.log({ msg: 'Chat links withdrawn', customerId, by: by.agentId });
  }

  /**
   * A shop customer, with their chat conversation. A phone number that has only texted us so far
   * (an SMS customer without a username) becomes this customer, so both histories are one person's.
   */
  async create(dto: CreateCustomerDto): Promise<CreatedCustomer> {
    return this.customers
      .transaction(async (manager) => {
        const fields = { username: dto.username, name: dto.name ?? null, email: dto.email ?? null };
        const phone = dto.phone ? e164(dto.phone) : null;
        const smsCustomer = phone ? await this.customers.byPhone(manager, phone) : undefined;
        if (smsCustomer && (smsCustomer.username !== null || smsCustomer.role !== 'customer'))
          throw phoneTaken(phone!);
        const customer = smsCustomer
          ? await this.customers.update(manager, smsCustomer.id, fields)
          : await this.customers.insert(manager, { ...fields, phone });
        if (!customer) throw usernameTaken(dto.username);
        const conversationId = await this.conversations.open(manager, customer.id);
        return { id: customer.id, username: dto.username, conversationId };
      })
      .catch((error: unknown) => {
        throw takenOrRethrow(error, dto);
      });
  }

  async update(username: string, dto: UpdateCustomerDto): Promise<Customer> {
    return this.customers
      .transaction(async (manager) => {
        const customer = await this.require(username, manager);
        const phone = dto.phone ? e164(dto.phone) : undefined;
        if (phone) {
          const owner = await this.customers.byPhone(manager, phone);
          if (owner && owner.id !== customer.id) throw phoneTaken(phone);
        }
        return (await this.customers.update(manager, customer.id, {
          name: dto.name,
          email: dto.email,
          phone,
        }))!;
      })
      .catch((error: unknown) => {
        throw takenOrRethrow(error, dto);
      });
  }

  /** The epoch chat links issued now carry; withdrawing the customer's links moves it on. */
  chatLinkEpoch(manager: EntityManager, customerId: string): Promise<number> {
    return this.customers.chatLinkEpoch(manager, customerId);
  }

  async require(username: string, manager?: EntityManager, lock = false): Promise<Customer> {
    const customer = await this.customers.byUsername(username, manager, lock);
    if (!customer) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.CustomerNotFound,
        `No customer with username ${username}`,
      );
    }
    return customer;
  }
}

function usernameTaken(username: string): ApiException {
  return new ApiException(HttpStatus.CONFLICT, ErrorCode.UsernameTaken, `The username ${username} is taken`, [
    { field: 'username', message: 'username is taken' },
  ]);
}

function phoneTaken(phone: string): ApiException {
  return new ApiException(
    HttpStatus.CONFLICT,
    ErrorCode.PhoneTaken,
    `The phone number ${phone} belongs to another customer`,
    [{ field: 'phone', message: 'phone belongs to another customer' }],
  );
}

/** A concurrent request that took the same username or phone first loses on the unique index: a 409 too. */
function takenOrRethrow(error: unknown, dto: { username?: string; phone?: string }): unknown {
  const constraint =
    (error as { code?: string; constraint?: string }).code === '23505'
      ? (error as { constraint?: string }).constraint
      : undefined;
  if (constraint === 'users_username_key' && dto.username) return usernameTaken(dto.username);
  if (constraint === 'users_phone_key' && dto.phone) return phoneTaken(e164(dto.phone));
  return error;
}
