import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Single use of signed-webhook nonces; rows older than the signature window are swept. */
@Injectable()
export class WebhookNoncesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False when the nonce was already used by a different request (a replay): webhook-nonces.sql. */
  async claim(manager: EntityManager, nonce: string, signature: string): Promise<boolean> {
    const rows = (await manager.query('SELECT webhook_nonce_claim($1, $2) AS ok', [nonce, signature])) as {
      ok: boolean;
    }[];
    return rows[0]!.ok;
  }

  /**
   * False when the nonce was used before, by any request: for webhooks (voice) whose token is refused
   * when sent again, retry or not (a retry of one that failed finds nothing here: its claim rolled back).
   */
  async claimOnce(manager: EntityManager, nonce: string, signature: string): Promise<boolean> {
    const rows = (await manager.query(
      'INSERT INTO webhook_nonces (nonce, signature) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
      [nonce, signature],
    )) as unknown[];
    return rows.length === 1;
  }

  async sweep(olderThanSeconds: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM webhook_nonces WHERE seen_at < now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
  }
}
