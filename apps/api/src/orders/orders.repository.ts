import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface OrderLine {
  name: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

export interface StoredOrder {
  id: string;
  currency: string;
  total: number;
  createdAt: string;
  items: OrderLine[];
  email: {
    status: 'queued' | 'sent' | 'failed';
    error: string | null;
    providerMessageId: string | null;
  } | null;
}

@Injectable()
export class OrdersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    manager: EntityManager,
    customerId: string,
    currency: string,
    items: OrderLine[],
  ): Promise<string> {
    const total = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    const [order] = (await manager.query(
      `INSERT INTO orders (customer_id, currency, total_minor) VALUES ($1, $2, $3) RETURNING id`,
      [customerId, currency, total],
    )) as { id: string }[];
    await manager.query(
      `INSERT INTO order_items (order_id, position, name, quantity, unit_price_minor)
       SELECT $1, position, name, quantity, unit_price
         FROM unnest($2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY AS item(name, quantity, unit_price, position)`,
      [
        order!.id,
        items.map((item) => item.name),
        items.map((item) => item.quantity),
        items.map((item) => item.unitPrice),
      ],
    );
    return order!.id;
  }
}
