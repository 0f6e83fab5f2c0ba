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

  async sweep(olderThanSeconds: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM webhook_nonces WHERE seen_at < now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
  }
}
