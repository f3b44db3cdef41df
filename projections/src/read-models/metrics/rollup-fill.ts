import { runLimited } from '../../rebuild/concurrency.js';
import type { TransactionRunner, VersionTables } from '../../runner/projection.js';
import { type Queryable, quoteIdent } from '../../sql/queryable.js';
import { ROLLUP_FILLFACTOR, rollups, tiers } from './metrics-tables.js';
import { type RollupSpec, rollupAggregates, rollupOfRollups, rollupPrimaryKey } from './rollup-spec.js';

/** Slices of the fleet (by device id hash) aggregated in separate transactions. */
const SLICES = 4;
/** Transactions at once: the machine's cores, which the slices keep busy together. */
const PARALLEL = 2;

// Aggregating millions of rows spills to disk at the default 4 MB, index builds sort as many
// entries. JIT compiled these wide aggregations for longer than it saved (device tier: 4.3 s of CPU
// with it, 3.4 s without). The version is re-derivable from the log: no wait for the WAL flush.
const SETTINGS = `set local work_mem = '256MB'; set local maintenance_work_mem = '256MB';
  set local synchronous_commit = off; set local jit = off`;

type Tier = Readonly<{
  /** The tier's table (unversioned name). */
  base: string;
  /** What it aggregates: the raw table for the finest tier, the tier below for the others. */
  source: string;
  spec: RollupSpec;
  unit: string;
  index: number;
}>;

const tierList = (): Tier[] =>
  rollups.flatMap(([base, spec]) =>
    tiers.map(([tier, unit], index) => ({
      base: `${base}_${tier}`,
      source: index === 0 ? `${base}_raw` : `${base}_${tiers[index - 1]![0]}`,
      spec,
      unit,
      index,
    })),
  );

const inSlice = (slice: number) => `(hashtext(device_id) & ${SLICES - 1}) = ${slice}`;

/** The finest tier aggregates raw rows, each coarser one the tier below it (exact: numeric sums). */
const fillStatement = (t: VersionTables, tier: Tier, where: string): string => {
  const raw = tier.index === 0;
  const column = raw ? 'time' : 'bucket';
  const keys = tier.spec.keys.map(([name]) => name).join(', ');
  const bucket = `date_trunc('${tier.unit}', ${column}, 'UTC')`;
  return `insert into ${t.table(tier.base)}
    select ${keys}, ${bucket} as bucket, ${raw ? rollupAggregates(tier.spec) : rollupOfRollups(tier.spec)}
    from ${t.table(tier.source)} where ${where} group by ${keys}, ${bucket}`;
};

const primaryKeyName = async (client: Queryable, t: VersionTables, base: string) => {
  const { rows } = await client.query<{ name: string }>(
    `select conname as name from pg_constraint where conrelid = $1::regclass and contype = 'p'`,
    [t.table(base)],
  );
  return { existing: rows[0]?.name ?? null, name: rows[0]?.name ?? `${t.name(base)}_pkey` };
};

/**
 * Fills every rollup tier of a version nobody reads yet from its raw tables, from scratch:
 * 1. empty the tiers and drop their primary keys (inserting a million groups into a live b-tree,
 *    in random order and larger than shared_buffers, cost twice the aggregation itself);
 * 2. aggregate tier by tier, each in slices of the fleet, two transactions at a time, so both cores
 *    work (one transaction per tier left a core idle while the interface tier, 2.5x the device
 *    tier, ran on alone);
 * 3. build the primary keys, one sort each.
 * A failed finish is simply run again (the rebuild resumes to it): step 1 starts it over.
 */
export const fillRollups = async (transaction: TransactionRunner, t: VersionTables): Promise<void> => {
  const all = tierList();
  const keys = new Map<string, string>();
  await transaction(async (client) => {
    for (const tier of all) {
      const pk = await primaryKeyName(client, t, tier.base);
      keys.set(tier.base, pk.name);
      await client.query(`truncate ${t.table(tier.base)}`);
      // History is written once: pack it. Live updates get their room back in step 3.
      await client.query(`alter table ${t.table(tier.base)} set (fillfactor = 100)`);
      if (pk.existing)
        await client.query(`alter table ${t.table(tier.base)} drop constraint ${quoteIdent(pk.existing)}`);
    }
  });
  const inTransaction = (statement: string) => () =>
    transaction(async (client) => {
      await client.query(SETTINGS);
      await client.query(statement);
    });
  for (const index of tiers.map((_, i) => i)) {
    await runLimited(
      PARALLEL,
      all
        .filter((tier) => tier.index === index)
        .flatMap((tier) =>
          Array.from({ length: SLICES }, (_, slice) => inTransaction(fillStatement(t, tier, inSlice(slice)))),
        ),
    );
  }
  await runLimited(
    PARALLEL,
    all.map((tier) =>
      inTransaction(
        `alter table ${t.table(tier.base)} add constraint ${quoteIdent(keys.get(tier.base)!)} primary key (${rollupPrimaryKey(tier.spec).join(', ')});
         alter table ${t.table(tier.base)} set (fillfactor = ${ROLLUP_FILLFACTOR})`,
      ),
    ),
  );
};
