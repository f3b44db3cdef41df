import type { RefreshTokenRecord, RefreshTokenStore, RefreshUse } from '@netpulse/api';
import type pg from 'pg';
import { quoteIdent } from '../../postgres/pool.js';

/** Expired rows are kept a while for forensics, then pruned when their user logs in again. */
const KEEP_EXPIRED = '7 days';

/** Refresh-token ids and families: what rotation needs to notice a spent token coming back. */
export class PostgresRefreshTokens implements RefreshTokenStore {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.refresh_tokens`;
  }

  async record(token: RefreshTokenRecord): Promise<void> {
    await this.pool.query(
      `with pruned as (
         delete from ${this.table}
         where organization_id = $3 and user_id = $4 and expires_at < $5::timestamptz - interval '${KEEP_EXPIRED}')
       insert into ${this.table} (jti, family_id, organization_id, user_id, issued_at, expires_at)
       values ($1, $2, $3, $4, $5, $6)`,
      [token.jti, token.familyId, token.organizationId, token.userId, token.issuedAt, token.expiresAt],
    );
  }

  async use(jti: string, at: Date): Promise<RefreshUse> {
    // The row lock makes a concurrent second use wait, re-check `used_at`, and find it set.
    const { rows } = await this.pool.query<{ fresh: boolean; known: boolean; expired: boolean | null }>(
      `with spent as (
         update ${this.table} set used_at = $2
         where jti = $1 and used_at is null and revoked_at is null and expires_at > $2
         returning jti)
       select exists (select 1 from spent) as fresh, t.jti is not null as known, t.expires_at <= $2 as expired
       from (select 1) one left join ${this.table} t on t.jti = $1`,
      [jti, at],
    );
    const row = rows[0];
    if (row?.fresh) return 'fresh';
    // An expired token is merely stale; only a live one presented twice (or after revocation) is reuse.
    if (!row?.known || row.expired) return 'unknown';
    return 'reused';
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.pool.query(
      `update ${this.table} set revoked_at = $2 where family_id = $1 and revoked_at is null`,
      [familyId, at],
    );
  }

  async revokeUser(organizationId: string, userId: string, at: Date): Promise<void> {
    await this.pool.query(
      `update ${this.table} set revoked_at = $3
       where organization_id = $1 and user_id = $2 and revoked_at is null`,
      [organizationId, userId, at],
    );
  }
}
