import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface Customer {
  id: string;
  username: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
}

const CUSTOMER_COLUMNS = 'id, username, name, email, phone';

/** Customers are `users` rows with role `customer`: shop customers have a username, SMS ones a phone. */
@Injectable()
export class CustomersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async byUsername(
    username: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<Customer | undefined> {
    const [row] = (await manager.query(
      `SELECT ${CUSTOMER_COLUMNS} FROM users WHERE username = $1 AND role = 'customer'${lock ? ' FOR UPDATE' : ''}`,
      [username],
    )) as Customer[];
    return row;
  }

  async byPhone(manager: EntityManager, phone: string): Promise<(Customer & { role: string }) | undefined> {
    const [row] = (await manager.query(
      `SELECT ${CUSTOMER_COLUMNS}, role FROM users WHERE phone = $1 FOR UPDATE`,
      [phone],
    )) as (Customer & { role: string })[];
    return row;
  }

  /** Undefined when the username is taken. */
  async insert(manager: EntityManager, customer: Omit<Customer, 'id'>): Promise<Customer | undefined> {
    const [row] = (await manager.query(
      `INSERT INTO users (role, username, name, email, phone) VALUES ('customer', $1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING RETURNING ${CUSTOMER_COLUMNS}`,
      [customer.username, customer.name, customer.email, customer.phone],
    )) as Customer[];
    return row;
  }

  /** Sets the fields given (null leaves a field as it is). Undefined when the username is taken. */
  async update(
    manager: EntityManager,
    id: string,
    fields: Partial<Omit<Customer, 'id'>>,
  ): Promise<Customer | undefined> {
    const [row] = (await manager.query(
      // In a CTE because TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
      `WITH updated AS (
         UPDATE users SET username = COALESCE($2, username), name = COALESCE($3, name), email = COALESCE($4, email),
                phone = COALESCE($5, phone), updated_at = now()
          WHERE id = $1
            AND NOT EXISTS (SELECT 1 FROM users other WHERE other.username = $2 AND other.id <> $1)
          RETURNING ${CUSTOMER_COLUMNS}
       )
       SELECT * FROM updated`,
      [id, fields.username ?? null, fields.name ?? null, fields.email ?? null, fields.phone ?? null],
    )) as Customer[];
    return row;
  }

  /** The customer's chat conversation (their one `chat` ticket), created waiting for them if missing. */
  /** The epoch chat links issued now carry (`ChatLinks`); withdrawing the customer's links moves it on. */
  async chatLinkEpoch(manager: EntityManager, customerId: string): Promise<number> {
    const [row] = (await manager.query(`SELECT chat_link_epoch AS epoch FROM users WHERE id = $1`, [
      customerId,
    ])) as { epoch: number }[];
    return row?.epoch ?? 0;
  }

  /** Ends every chat link issued so far; undefined when there is no such customer. */
  async withdrawChatLinks(manager: EntityManager, customerId: string): Promise<number | undefined> {
    if (!/^\d{1,18}$/.test(customerId)) return undefined;
    const [row] = (await manager.query(
      `WITH withdrawn AS (
         UPDATE users SET chat_link_epoch = chat_link_epoch + 1, updated_at = now()
          WHERE id = $1 AND role = 'customer' RETURNING chat_link_epoch
       )
       SELECT chat_link_epoch AS epoch FROM withdrawn`,
      [customerId],
    )) as { epoch: number }[];
    return row?.epoch;
  }
}
