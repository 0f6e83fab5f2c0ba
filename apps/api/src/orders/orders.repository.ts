import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface OrderLine {
  name: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

export interface OrderEvent {
  type: 'order-confirm';
  orderId: string;
  items: OrderLine[];
  total: number;
  currency: string;
  text: string;
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

  /** The `order-confirm` event in the customer's conversation, which from now on is about this order. */
  async recordEvent(manager: EntityManager, conversationId: string, event: OrderEvent): Promise<string> {
    const [message] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, kind, body, payload) VALUES ($1, 'out', 'event', $2, $3)
       RETURNING id::text`,
      [conversationId, event.text, event],
    )) as { id: string }[];
    await manager.query(`UPDATE tickets SET order_id = $2, updated_at = now() WHERE id = $1`, [
      conversationId,
      event.orderId,
    ]);
    return message!.id;
  }

  /** A customer's orders, newest first, each with its items and its confirmation email's fate. */
  async history(customerId: string, limit = 100): Promise<StoredOrder[]> {
    return (await this.dataSource.query(
      `SELECT o.id::text, o.currency, o.total_minor::float8 AS total,
              to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
              (SELECT json_agg(json_build_object('name', i.name, 'quantity', i.quantity, 'unitPrice', i.unit_price_minor)
                               ORDER BY i.position)
                 FROM order_items i WHERE i.order_id = o.id) AS items,
              (SELECT json_build_object('status', e.status, 'error', e.error, 'providerMessageId', e.provider_message_id)
                 FROM emails e WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1) AS email
         FROM orders o WHERE o.customer_id = $1 ORDER BY o.id DESC LIMIT $2`,
      [customerId, limit],
    )) as StoredOrder[];
  }
}
