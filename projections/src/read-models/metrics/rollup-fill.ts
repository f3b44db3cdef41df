import { Slots, settleAll } from '../../rebuild/concurrency.js';
import type { TransactionRunner, VersionTables } from '../../runner/projection.js';
import { type Queryable, quoteIdent } from '../../sql/queryable.js';
import { closeEveryHour } from './hour-tier.js';
import { bucketOf, ROLLUP_FILLFACTOR, rollups, type TierInterval, tiers } from './metrics-tables.js';
import { rollupInsert } from './rollup-insert.js';
import {
  type RollupSpec,
  rollupKeyList,
  rollupKeyNames,
  rollupOfOne,
  rollupOfRollups,
  rollupPrimaryKey,
} from './rollup-spec.js';

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
  spec: RollupSpec;
  interval: TierInterval;
}>;

/**
 * Every tier of every rollup, the largest first (the interface 1-minute tier), so the longest work
 * starts first and the small tiers fill in beside it.
 */
const allTiers = (): Tier[] =>
  tiers
    .flatMap(([tier, interval]) =>
      rollups.map(([base, spec]) => ({ base: `${base}_${tier}`, rollup: base, spec, interval })),
    )
    .sort((a, b) => Number(b.rollup === 'interface_metrics') - Number(a.rollup === 'interface_metrics'));

const rawTable = (rollup: string) => `${rollup}_raw`;
/** Raw tables get a BRIN on time for the finish only. */
const brinName = (t: VersionTables, rollup: string) => `${t.name(rawTable(rollup))}_fill_brin`;
const stamp = (epochSeconds: string) =>
  `'${new Date(Number(epochSeconds) * 1_000).toISOString()}'::timestamptz`;

/**
 * Indexes one rollup's raw rows by time with a BRIN, then splits them into each tier's time slices,
 * whose bounds fall on the tier's bucket boundaries, so no bucket spans two slices and each slice's
 * groups are whole. History is written in roughly time order, so the BRIN (one cheap pass to build)
 * lets each slice read only its own pages. One scan finds the time range for all the rollup's tiers.
 * Slicing by a hash of the device, as before, made every slice scan and hash the whole source:
 * half of each slice's time went to rows it then threw away.
 */
const indexAndSlice = async (
  client: Queryable,
  t: VersionTables,
  rollup: string,
): Promise<Map<TierInterval, string[]>> => {
  const raw = t.table(rawTable(rollup));
  await client.query(
    `create index if not exists ${quoteIdent(brinName(t, rollup))} on ${raw}
       using brin (time) with (pages_per_range = 16)`,
  );
  const { rows } = await client.query<{ tier_interval: TierInterval; bound: string }>(
    `with range as materialized (select min(time) as lo, max(time) as hi from ${raw})
     ${tiers
       .map(
         ([, interval]) =>
           `select distinct '${interval}' as tier_interval,
              extract(epoch from ${bucketOf(interval, `lo + (hi - lo) * k / ${SLICES}`)})::bigint::text as bound
            from range, generate_series(1, ${SLICES - 1}) k where hi > lo`,
       )
       .join(' union all ')}
     order by tier_interval, bound`,
  );
  return new Map(
    tiers.map(([, interval]) => {
      const bounds = rows.filter((row) => row.tier_interval === interval).map((row) => stamp(row.bound));
      if (bounds.length === 0) return [interval, ['true']];
      return [
        interval,
        [
          `time < ${bounds[0]}`,
          ...bounds.slice(1).map((bound, i) => `time >= ${bounds[i]} and time < ${bound}`),
          `time >= ${bounds[bounds.length - 1]}`,
        ],
      ];
    }),
  );
};

/**
 * Every tier aggregates the raw rows, the 1-hour tiers too (exact sums: the same rows as hours
 * folded from minutes, rollup-fill.int.test.ts). Folding the interface tier's 1.288 M minute rows
 * cost more than aggregating its raw rows again (numeric additions against bigint ones: 2.25 s
 * against 1.7 s), and a 1-hour tier that waited for its 1-minute tier and that tier's key (whose
 * build locked out the hour tier's BRIN summary for 3.2 s) left a core idle (session 11).
 */
const fillStatement = (t: VersionTables, tier: Tier, where: string): string =>
  rollupInsert({
    target: t.table(tier.base),
    source: t.table(rawTable(tier.rollup)),
    from: 'raw',
    spec: tier.spec,
    interval: tier.interval,
    where,
    merge: false,
  });

/** Each raw row of the slice as its own rollup row: right where no two share a bucket. */
const oneByOneStatement = (t: VersionTables, tier: Tier, where: string): string =>
  `insert into ${t.table(tier.base)}
    select ${rollupKeyList(tier.spec)}, ${bucketOf(tier.interval, 'time')} as bucket, ${rollupOfOne(tier.spec)}
    from ${t.table(rawTable(tier.rollup))} where ${where}`;

/**
 * Merges rows that share a bucket (left by `oneByOneStatement` where a bucket had several samples
 * after all) into one: partial rollups merge exactly, as live batches merge theirs.
 */
const mergeSharedBuckets = (t: VersionTables, tier: Tier): string => {
  const keys = [...rollupKeyNames(tier.spec), 'bucket'];
  return `with shared as (
      select ${keys.join(', ')} from ${t.table(tier.base)} group by ${keys.join(', ')} having count(*) > 1),
    parts as (
      delete from ${t.table(tier.base)} r using shared
      where ${keys.map((key) => `r.${key} = shared.${key}`).join(' and ')} returning r.*)
    insert into ${t.table(tier.base)}
    select ${keys.join(', ')}, ${rollupOfRollups(tier.spec)} from parts group by ${keys.join(', ')}`;
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
 *    in random order and larger than shared_buffers, cost twice the aggregation itself), and index
 *    each raw table's time with a BRIN and cut it into slices (`indexAndSlice`);
 * 2. each tier in time slices, two transactions at a time (the machine's cores), and its unique
 *    index as soon as the tier is whole. No tier waits for another: the small tiers fill in beside
 *    the interface 1-minute tier, 2.5x the rest;
 * 3. turn the indexes into primary keys (no second sort), drop the slicing indexes and close every
 *    hour (the 1-hour tiers now hold every point).
 * A failed finish is simply run again (the rebuild resumes to it): step 1 starts it over.
 */
export const fillRollups = async (transaction: TransactionRunner, t: VersionTables): Promise<void> => {
  const all = allTiers();
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
  /** Work in a transaction of its own with the finish's settings, once a slot is free. */
  const inSlot = (work: (client: Queryable) => Promise<void>, priority?: number) =>
    slots.run(
      () =>
        transaction(async (client) => {
          await client.query(SETTINGS);
          await work(client);
        }),
      priority,
    );
  const slicing = new Map<string, Promise<Map<TierInterval, string[]>>>(
    rollups.map(([base]) => {
      let slices = new Map<TierInterval, string[]>();
      const sliced = inSlot(async (client) => {
        slices = await indexAndSlice(client, t, base);
      });
      return [base, sliced.then(() => slices)] as const;
    }),
  );
  // The largest tier's work goes first (`allTiers` is in that order): it is the longest chain.
  const fill = async (tier: Tier, priority: number) => {
    const sliced = await slicing.get(tier.rollup);
    const slices = sliced?.get(tier.interval);
    if (!slices) throw new Error(`no time slices for ${tier.base}`);
    const [first, ...rest] = slices;
    // The first slice tells whether buckets hold one sample each (interfaces polled once a minute
    // in a 1-minute tier): then the rest is written row by row instead of aggregated.
    let alone = false;
    await inSlot(async (client) => {
      const groups = (await client.query(fillStatement(t, tier, first!))).rowCount;
      if (rest.length === 0) return;
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::integer as n from ${t.table(rawTable(tier.rollup))} where ${first}`,
      );
      alone = rows[0]!.n > 0 && groups === rows[0]!.n;
    }, priority);
    await settleAll(
      rest.map((where) =>
        inSlot(async (client) => {
          await client.query(alone ? oneByOneStatement(t, tier, where) : fillStatement(t, tier, where));
        }, priority),
      ),
    );
    const keyIndex = `create unique index ${quoteIdent(keys.get(tier.base)!)} on ${t.table(tier.base)} (${rollupPrimaryKey(tier.spec).join(', ')})`;
    // Before every slice still waiting: the interface 1-minute key is the longest single step, and
    // queued behind the small tiers it ran on alone at the end (2.3 s with a core idle).
    await inSlot(async (client) => {
      await client.query('savepoint key');
      try {
        await client.query(keyIndex);
      } catch (error) {
        // A bucket of a later slice held several samples: merge them, then index again.
        if (!alone || (error as { code?: string }).code !== '23505') throw error;
        await client.query('rollback to savepoint key');
        await client.query(mergeSharedBuckets(t, tier));
        await client.query(keyIndex);
      }
    }, -1);
  };
  await settleAll(all.map((tier, priority) => fill(tier, priority)));
  await transaction(async (client) => {
    for (const tier of all) {
      const key = quoteIdent(keys.get(tier.base)!);
      await client.query(
        `alter table ${t.table(tier.base)} add constraint ${key} primary key using index ${key};
         alter table ${t.table(tier.base)} set (fillfactor = ${ROLLUP_FILLFACTOR})`,
      );
    }
    for (const [base] of rollups)
      await client.query(`drop index if exists ${t.schema}.${quoteIdent(brinName(t, base))}`);
    // Every hour is now stored whole: no range is left open for the views to add.
    await client.query(closeEveryHour(t));
  });
};
