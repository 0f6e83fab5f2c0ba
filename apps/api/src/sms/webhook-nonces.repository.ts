import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Single use of signed-webhook nonces; rows older than the signature window are swept. */
@Injectable()
export class WebhookNoncesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False when the nonce was already used by a different request (a replay). */
  async claim(manager: EntityManager, nonce: string, signature: string): Promise<boolean> {
    const rows = (await manager.query(
      `WITH claimed AS (
         INSERT INTO webhook_nonces (nonce, signature) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM claimed)
           OR EXISTS (SELECT 1 FROM webhook_nonces WHERE nonce = $1 AND signature = $2) AS ok`,
      [nonce, signature],
    )) as { ok: boolean }[];
    return rows[0]!.ok;
  }

  async sweep(olderThanSeconds: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM webhook_nonces WHERE seen_at < now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
  }
}
