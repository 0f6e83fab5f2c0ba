import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shop orders with their items (money in integer minor units), the transactional emails we send,
 * and each customer's chat conversation: one `chat` ticket per customer, for good.
 */
export class OrdersAndEmail1763719200000 implements MigrationInterface {
  name = 'OrdersAndEmail1763719200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX tickets_one_chat_conversation ON tickets (customer_id) WHERE channel = 'chat'`,
    );
    await queryRunner.query(`
      CREATE TABLE orders (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id bigint NOT NULL REFERENCES users (id),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        total_minor bigint NOT NULL CHECK (total_minor >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX orders_by_customer ON orders (customer_id, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE order_items (
        order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        position int NOT NULL,
        name text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        PRIMARY KEY (order_id, position)
      )`);
    // The order a chat is currently about (the latest one the customer was emailed).
    await queryRunner.query(`ALTER TABLE tickets ADD COLUMN order_id bigint REFERENCES orders (id)`);
    await queryRunner.query(`
      CREATE TABLE emails (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id bigint REFERENCES orders (id),
        to_email text NOT NULL,
        to_name text,
        template text NOT NULL,
        params jsonb NOT NULL,
        provider text NOT NULL,
        provider_message_id text,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        error text,
        attempts int NOT NULL DEFAULT 0,
        subject text,
        html text,
        text_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX emails_by_order ON emails (order_id)`);
    await queryRunner.query(`CREATE INDEX emails_latest ON emails (id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE emails');
    await queryRunner.query('ALTER TABLE tickets DROP COLUMN order_id');
    await queryRunner.query('DROP TABLE order_items');
    await queryRunner.query('DROP TABLE orders');
    await queryRunner.query('DROP INDEX tickets_one_chat_conversation');
  }
}
