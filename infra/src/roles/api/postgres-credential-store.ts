import type { CredentialStore } from '@netpulse/api';
import type { Actor } from '@netpulse/domain';
import type pg from 'pg';
import { quoteIdent } from '../../postgres/pool.js';

/** Password hashes (scrypt, salted) per organization and user, with who set them and when. */
export class PostgresCredentialStore implements CredentialStore {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.user_credentials`;
  }

  async passwordHash(organizationId: string, userId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ password_hash: string }>(
      `select password_hash from ${this.table} where organization_id = $1 and user_id = $2`,
      [organizationId, userId],
    );
    return rows[0]?.password_hash ?? null;
  }

  async passwordSetAt(organizationId: string, userId: string): Promise<Date | null> {
    const { rows } = await this.pool.query<{ set_at: Date }>(
      `select set_at from ${this.table} where organization_id = $1 and user_id = $2`,
      [organizationId, userId],
    );
    return rows[0]?.set_at ?? null;
  }

  async savePasswordHash(
    input: Readonly<{ organizationId: string; userId: string; hash: string; setBy: Actor; at: Date }>,
  ): Promise<void> {
    await this.pool.query(
      `insert into ${this.table} (organization_id, user_id, password_hash, set_by_kind, set_by_id, set_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (organization_id, user_id) do update set password_hash = excluded.password_hash,
         set_by_kind = excluded.set_by_kind, set_by_id = excluded.set_by_id, set_at = excluded.set_at`,
      [input.organizationId, input.userId, input.hash, input.setBy.kind, input.setBy.id, input.at],
    );
  }

  /**
   * Stores a hash only when the user has none yet; true when this call stored it. Several API
   * processes bootstrapping the first administrator at once agree on one password this way.
   */
  async savePasswordHashIfAbsent(
    input: Readonly<{ organizationId: string; userId: string; hash: string; setBy: Actor; at: Date }>,
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `insert into ${this.table} (organization_id, user_id, password_hash, set_by_kind, set_by_id, set_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (organization_id, user_id) do nothing`,
      [input.organizationId, input.userId, input.hash, input.setBy.kind, input.setBy.id, input.at],
    );
    return rowCount === 1;
  }
}
