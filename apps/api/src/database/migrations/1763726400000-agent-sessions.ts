import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Agents sign in with email and password; each signed-in browser holds a refresh session. */
export class AgentSessions1763726400000 implements MigrationInterface {
  name = 'AgentSessions1763726400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_staff_email ON users (lower(email)) WHERE role <> 'customer'`,
    );
    await queryRunner.query(`
      CREATE TABLE agent_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE agent_sessions');
    await queryRunner.query('DROP INDEX users_staff_email');
  }
}
