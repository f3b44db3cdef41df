import { Slots, settleAll } from '../../rebuild/concurrency.js';
import type { TransactionRunner, VersionTables } from '../../runner/projection.js';
import { type Queryable, quoteIdent } from '../../sql/queryable.js';
import { closeEveryHour, minuteTierBrin } from './hour-tier.js';
import { bucketOf, ROLLUP_FILLFACTOR, rollups, type TierInterval, tiers } from './metrics-tables.js';
import { rollupInsert } from './rollup-insert.js';
import { type RollupSpec, rollupPrimaryKey } from './rollup-spec.js';

/** Time slices per tier, aggregated in separate transactions. */
const SLICES = 8;
/** Transactions at once: the machine's cores, which the slices keep busy together. */
const PARALLEL = 2;

// Aggregating millions of rows spills to disk at the default 4 MB, index builds sort as many
// entries. JIT compiled these wide aggregations for longer than it saved (device tier: 4.3 s of CPU
// with it, 3.4 s without). The version is re-derivable from the log: no wait for the WAL flush.
const SETTINGS = `set local work_mem = '256MB'; set local maintenance_work_mem = '256MB';
  set local synchronous_commit = off; set local jit = off; set local enable_seqscan = off`;

type Tier = Readonly<{
  /** The tier's table (unversioned name). */
  base: string;
  /** The rollup it belongs to: `metrics` or `interface_metrics`. */
  rollup: string;
  /** What it aggregates: the raw table for the finest tier, the tier below for the others. */
  source: string;
  spec: RollupSpec;
  interval: TierInterval;
  index: number;
}>;

/** Each rollup's tiers, finest first: a chain, each tier read by the next. */
const tierChains = (): Tier[][] =>
  rollups.map(([base, spec]) =>
    tiers.map(([tier, interval], index) => ({
      base: `${base}_${tier}`,
      rollup: base,
      source: index === 0 ? `${base}_raw` : `${base}_${tiers[index - 1]![0]}`,
      spec,
      interval,
      index,
    })),
  );

/** The column a tier's source is bucketed by: raw rows have a time, rollup rows a bucket. */
const timeColumn = (tier: Tier) => (tier.index === 0 ? 'time' : 'bucket');
/** Raw tables get a BRIN for the finish only; a 1-minute tier keeps its own (hour-tier.ts). */
const brinName = (t: VersionTables, tier: Tier) =>
  tier.index === 0 ? `${t.name(tier.source)}_fill_brin` : minuteTierBrin(t, tier.rollup);
const stamp = (epochSeconds: string) =>
  `'${new Date(Number(epochSeconds) * 1_000).toISOString()}'::timestamptz`;

/**
 * Splits a tier's source into time slices whose bounds fall on the tier's bucket boundaries, so no
 * bucket spans two slices and each slice's groups are whole. History is written in roughly time
 * order, so a BRIN index (one cheap pass to build) lets each slice read only its own pages.
 * Slicing by a hash of the device, as before, made every slice scan and hash the whole source:
 * half of each slice's time went to rows it then threw away.
 */
const timeSlices = async (client: Queryable, t: VersionTables, tier: Tier): Promise<string[]> => {
  const column = timeColumn(tier);
  const brin = quoteIdent(brinName(t, tier));
  await client.query(
    `create index if not exists ${brin} on ${t.table(tier.source)}
       using brin (${column}) with (pages_per_range = 16)`,
  );
  // A 1-minute tier's BRIN existed before the tier was filled: it has not summarized those pages.
  if (tier.index > 0) await client.query(`select brin_summarize_new_values('${t.schema}.${brin}'::regclass)`);
  const { rows } = await client.query<{ bound: string }>(
    `select distinct extract(epoch from ${bucketOf(tier.interval, `lo + (hi - lo) * k / ${SLICES}`)})::bigint::text as bound
     from (select min(${column}) as lo, max(${column}) as hi from ${t.table(tier.source)}) range,
       generate_series(1, ${SLICES - 1}) k
     where hi > lo order by bound`,
  );
  const bounds = rows.map((row) => stamp(row.bound));
  if (bounds.length === 0) return ['true'];
  return [
    `${column} < ${bounds[0]}`,
    ...bounds.slice(1).map((bound, i) => `${column} >= ${bounds[i]} and ${column} < ${bound}`),
    `${column} >= ${bounds[bounds.length - 1]}`,
  ];
};

/** The finest tier aggregates raw rows, each coarser one the tier below it (exact: numeric sums). */
const fillStatement = (t: VersionTables, tier: Tier, where: string): string =>
  rollupInsert({
    target: t.table(tier.base),
    source: t.table(tier.source),
    from: tier.index === 0 ? 'raw' : 'rollup',
    spec: tier.spec,
    interval: tier.interval,
    where,
    merge: false,
  });

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
 * 2. for each kind of rollup, a chain: its 1-minute tier in time slices, then its 1-hour tier from
 *    that, and each tier's unique index as soon as the tier is whole. Both chains share two
 *    transactions at a time (the machine's cores), so a step runs as soon as what it reads is
 *    done and a core is free: the device chain's later steps fill in beside the interface tier,
 *    2.5x its size, instead of waiting for a whole level to end. A unique index takes a lock that
 *    lets the next tier read its table while it is built;
 * 3. turn the indexes into primary keys (no second sort), drop the raw tables' slicing indexes and
 *    close every hour (the 1-hour tiers now hold every point).
 * A failed finish is simply run again (the rebuild resumes to it): step 1 starts it over.
 */
export const fillRollups = async (transaction: TransactionRunner, t: VersionTables): Promise<void> => {
  const chains = tierChains();
  const all = chains.flat();
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
      // An index a failed finish built but did not turn into the key yet.
      await client.query(`drop index if exists ${t.schema}.${quoteIdent(pk.name)}`);
    }
  });
  const slots = new Slots(PARALLEL);
  const inTransaction = (statement: string) =>
    slots.run(() =>
      transaction(async (client) => {
        await client.query(SETTINGS);
        await client.query(statement);
      }),
    );
  const chain = async (tiersOfKind: readonly Tier[]) => {
    const indexes: Promise<void>[] = [];
    try {
      for (const tier of tiersOfKind) {
        let slices: string[] = [];
        await slots.run(() =>
          transaction(async (client) => {
            slices = await timeSlices(client, t, tier);
          }),
        );
        await settleAll(slices.map((where) => inTransaction(fillStatement(t, tier, where))));
        indexes.push(
          inTransaction(
            `create unique index ${quoteIdent(keys.get(tier.base)!)} on ${t.table(tier.base)} (${rollupPrimaryKey(tier.spec).join(', ')})`,
          ),
        );
      }
    } finally {
      await settleAll(indexes);
    }
  };
  await settleAll(chains.map(chain));
  await transaction(async (client) => {
    for (const tier of all) {
      const key = quoteIdent(keys.get(tier.base)!);
      await client.query(
        `alter table ${t.table(tier.base)} add constraint ${key} primary key using index ${key};
         alter table ${t.table(tier.base)} set (fillfactor = ${ROLLUP_FILLFACTOR})`,
      );
      if (tier.index === 0)
        await client.query(`drop index if exists ${t.schema}.${quoteIdent(brinName(t, tier))}`);
    }
    // Every hour is now stored whole: no range is left open for the views to add.
    await client.query(closeEveryHour(t));
  });
};
