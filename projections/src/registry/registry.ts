import { type Checkpoint, START } from '@netpulse/domain';
import pg from 'pg';
import { type Queryable, quoteIdent } from '../sql/queryable.js';
import { withTransaction } from '../sql/transaction.js';

export type RegistryEntry = Readonly<{
  name: string;
  activeVersion: number;
  buildingVersion: number | null;
  switchedAt: Date | null;
}>;

export type CheckpointRow = Readonly<{
  name: string;
  version: number;
  checkpoint: Checkpoint;
  eventsApplied: bigint;
  lastEventAt: Date | null;
  updatedAt: Date;
}>;

type RegistryRecord = {
  name: string;
  active_version: number;
  building_version: number | null;
  switched_at: Date | null;
};
type CheckpointRecord = {
  name: string;
  version: number;
  checkpoint: string;
  events_applied: bigint | string;
  last_event_at: Date | null;
  updated_at: Date;
};

const toEntry = (row: RegistryRecord): RegistryEntry => ({
  name: row.name,
  activeVersion: row.active_version,
  buildingVersion: row.building_version,
  switchedAt: row.switched_at,
});
const toCheckpoint = (row: CheckpointRecord): CheckpointRow => ({
  name: row.name,
  version: row.version,
  checkpoint: row.checkpoint,
  eventsApplied: BigInt(row.events_applied),
  lastEventAt: row.last_event_at,
  updatedAt: row.updated_at,
});

/** The registry and checkpoint tables of one read-model schema. */
export class ProjectionRegistry {
  private readonly s: string;

  constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    this.s = quoteIdent(schema);
  }

  /** Registers a projection at version 1 the first time it runs; returns its entry. */
  async ensure(name: string): Promise<RegistryEntry> {
    await this.pool.query(
      `with registered as (
         insert into ${this.s}.projections (name, active_version) values ($1, 1)
         on conflict (name) do nothing returning name)
       insert into ${this.s}.projection_checkpoints (name, version, checkpoint)
       select name, 1, $2 from registered on conflict do nothing`,
      [name, START],
    );
    const entry = await this.entry(this.pool, name);
    if (!entry) throw new Error(`projection ${name} vanished from the registry`);
    return entry;
  }

  async entry(client: Queryable, name: string, forUpdate = false): Promise<RegistryEntry | null> {
    const { rows } = await client.query<RegistryRecord>(
      `select name, active_version, building_version, switched_at from ${this.s}.projections where name = $1${forUpdate ? ' for update' : ''}`,
      [name],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async entries(): Promise<RegistryEntry[]> {
    const { rows } = await this.pool.query<RegistryRecord>(
      `select name, active_version, building_version, switched_at from ${this.s}.projections order by name`,
    );
    return rows.map(toEntry);
  }

  async checkpoint(name: string, version: number): Promise<CheckpointRow | null> {
    const { rows } = await this.pool.query<CheckpointRecord>(
      `select name, version, checkpoint, events_applied::text as events_applied, last_event_at, updated_at
       from ${this.s}.projection_checkpoints where name = $1 and version = $2`,
      [name, version],
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /**
   * The checkpoint's compare-and-set, for the batch's transaction: it updates the row only if the
   * checkpoint is still where this runner left it (`from`); no row updated = another instance moved
   * it, or the version was retired meanwhile. It runs first in the transaction, so its row lock also
   * orders the batch against a switch. Its values are inline so that it travels in one message with
   * the batch's `begin` (applyBatch): a round trip less per batch.
   */
  advanceStatement(
    move: Readonly<{
      name: string;
      version: number;
      from: Checkpoint;
      to: Checkpoint;
      events: number;
      lastEventAt: Date;
    }>,
  ): string {
    const { escapeLiteral } = pg;
    if (!Number.isInteger(move.version) || !Number.isInteger(move.events))
      throw new Error(`checkpoint move of ${move.name}: version and events must be integers`);
    return `update ${this.s}.projection_checkpoints
       set checkpoint = ${escapeLiteral(move.to)}, events_applied = events_applied + ${move.events},
         last_event_at = ${escapeLiteral(move.lastEventAt.toISOString())}::timestamptz, updated_at = now()
       where name = ${escapeLiteral(move.name)} and version = ${move.version} and checkpoint = ${escapeLiteral(move.from)}`;
  }

  /**
   * Starts (or resumes) building the next version: returns its number. A build interrupted earlier
   * resumes from its checkpoint instead of starting over.
   */
  async beginBuild(name: string): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      const entry = await this.entry(client, name, true);
      if (!entry) throw new Error(`projection ${name} is not registered`);
      if (entry.buildingVersion !== null) return entry.buildingVersion;
      const { rows } = await client.query<{ next: number }>(
        `select greatest($2::int, coalesce(max(version), 0)) + 1 as next
         from ${this.s}.projection_checkpoints where name = $1`,
        [name, entry.activeVersion],
      );
      const version = rows[0]!.next;
      await client.query(
        `insert into ${this.s}.projection_checkpoints (name, version, checkpoint) values ($1, $2, $3)`,
        [name, version, START],
      );
      await client.query(`update ${this.s}.projections set building_version = $2 where name = $1`, [
        name,
        version,
      ]);
      return version;
    });
  }

  /** In the switch transaction: the built version becomes active, the old one's checkpoint goes. */
  async activate(client: Queryable, name: string, from: number, to: number): Promise<void> {
    await client.query(
      `update ${this.s}.projections set active_version = $3, building_version = null, switched_at = now()
       where name = $1 and active_version = $2`,
      [name, from, to],
    );
    await client.query(`delete from ${this.s}.projection_checkpoints where name = $1 and version = $2`, [
      name,
      from,
    ]);
  }
}
