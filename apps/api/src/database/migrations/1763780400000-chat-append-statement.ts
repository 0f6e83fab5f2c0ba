import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat texts into open conversations are stored by a statement on a connection of its own
 * (thread-messages.repository.ts) instead of the `chat_append_open` function, whose call cost more than
 * the statement inside it. An instance of the previous release still running during a rolling restart
 * then fails its chat sends until it is replaced (the page shows them as not sent, to send again).
 */
export class ChatAppendStatement1763780400000 implements MigrationInterface {
  name = 'ChatAppendStatement1763780400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP FUNCTION IF EXISTS chat_append_open(bigint[], text[], bigint[], text[], uuid[])',
    );
  }

  // The previous release creates the function again at its start: it applies its SQL files whenever
  // the set recorded in `sql_files` differs from its own, as it does after this one ran.
  async down(): Promise<void> {}
}
