import type { VersionTables } from '../../runner/projection.js';
import { type Queryable, quoteIdent } from '../../sql/queryable.js';
import type { MetricPoints } from './metric-points.js';
import { bucketOf, rollups } from './metrics-tables.js';
import { rollupInsert } from './rollup-insert.js';
import { type RollupSpec, rollupKeyList, rollupOfRollups, rollupValueColumns } from './rollup-spec.js';

/**
 * The 1-hour tiers of the plain storage are kept from the 1-minute tiers a few minutes at a time,
 * not upserted for every point. A live batch updated each device's and interface's row of the
 * current hour again and again (60 to 120 times an hour): every update a new row version, its WAL
 * and a dead tuple, the dearest of the four rollup writes. Instead, like TimescaleDB's real-time
 * continuous aggregates:
 * - the 1-minute tier takes every point as before;
 * - points older than the open range (`open_from`) are late: they are merged into the 1-hour tier at
 *   once, as before;
 * - once the newest point is `GRACE_MS` past the end of a `STEP_MS` step, the step's 1-minute rows
 *   are folded into the 1-hour tier in one statement and the open range starts after it;
 * - the reader-facing 1-hour view adds the open range, aggregated from the 1-minute rows, to the
 *   stored rows, so readers see every point as soon as the 1-minute tier has it.
 * Each point is counted once either way, and the sums are exact, so the view equals a rebuild's
 * 1-hour tier row for row (rollup-fill.int.test.ts).
 */
const STEP_MS = 5 * 60_000;
/** Observations arrive in roughly time order; a step stays open this long after it ends. */
const GRACE_MS = 2 * 60_000;

/** One row: where the open range starts, and the start of its hour (both -infinity when empty). */
export const HOUR_WATERMARK = 'metrics_hour_watermark';

const minuteTier = (base: string) => `${base}_1m`;
const hourTier = (base: string) => `${base}_1h`;

/**
 * The BRIN index on a 1-minute tier's buckets: folding a step reads its rows through it, and a
 * rebuild's finish slices the tier with it. Minute rows are written in roughly time order, so it
 * stays small and costs the writes next to nothing.
 */
export const minuteTierBrin = (t: VersionTables, base: string): string =>
  `${t.name(minuteTier(base))}_bucket_brin`;

/** Right after the newest stored hour: everything stored so far counts as closed. */
const afterNewestHour = (t: VersionTables) =>
  `coalesce(greatest(${rollups
    .map(([base]) => `(select max(bucket) from ${t.table(hourTier(base))})`)
    .join(', ')}) + interval '1 hour', '-infinity')`;

/**
 * DDL after the rollup tables. A version created before the open range existed already holds every
 * point in its 1-hour tier, so its open range starts after its newest hour; a new one starts empty.
 */
export const hourTierStatements = (t: VersionTables): string[] => [
  `create table if not exists ${t.table(HOUR_WATERMARK)} (
    open_from timestamptz not null,
    hour_from timestamptz not null)`,
  `insert into ${t.table(HOUR_WATERMARK)} (open_from, hour_from)
    select start, start from (select ${afterNewestHour(t)} as start) s
    where not exists (select 1 from ${t.table(HOUR_WATERMARK)})`,
  ...rollups.map(
    ([base]) =>
      `create index if not exists ${minuteTierBrin(t, base)} on ${t.table(minuteTier(base))}
    using brin (bucket) with (pages_per_range = 16)`,
  ),
];

/** After a rebuild filled the 1-hour tiers from everything: the open range starts after them. */
export const closeEveryHour = (t: VersionTables): string =>
  `update ${t.table(HOUR_WATERMARK)} set open_from = s.start, hour_from = s.start
   from (select ${afterNewestHour(t)} as start) s`;

/** Where a live batch's late 1-hour merge starts: points before the open range. */
export const beforeOpenRange = (t: VersionTables, column: string): string =>
  `${column} < (select open_from from ${t.table(HOUR_WATERMARK)})`;

/** Selected after a live batch: the open range's start in epoch milliseconds (-Infinity when empty). */
export const openFromMs = (t: VersionTables): string =>
  `(select (extract(epoch from open_from) * 1000)::float8 from ${t.table(HOUR_WATERMARK)})`;

/** The reader-facing 1-hour view: closed hours as stored, the open range added from the minute rows. */
export const hourTierView = (t: VersionTables, base: string, spec: RollupSpec): string => {
  const keys = rollupKeyList(spec);
  const values = rollupValueColumns(spec).join(', ');
  const watermark = t.table(HOUR_WATERMARK);
  return `select * from ${t.table(hourTier(base))} where bucket < (select hour_from from ${watermark})
    union all
    select ${keys}, bucket, ${rollupOfRollups(spec)} from (
      select ${keys}, bucket, ${values} from ${t.table(hourTier(base))}
        where bucket >= (select hour_from from ${watermark})
      union all
      select ${keys}, ${bucketOf('1 hour', 'bucket')}, ${values} from ${t.table(minuteTier(base))}
        where bucket >= (select open_from from ${watermark})
    ) open group by ${keys}, bucket`;
};

/**
 * Without statistics on the minute tier (a young table, autovacuum off) the planner guesses a
 * sequential scan of the whole tier for a five-minute range; the BRIN reads only the step's pages.
 */
export const FOLD_SETTINGS = 'set local enable_seqscan = off';

/** Folds the minute rows of [$1, $2) into their hours: merged, since late points may be there already. */
export const foldStep = (t: VersionTables, base: string, spec: RollupSpec): string =>
  rollupInsert({
    target: t.table(hourTier(base)),
    source: t.table(minuteTier(base)),
    from: 'rollup',
    spec,
    interval: '1 hour',
    where: 'bucket >= $1 and bucket < $2',
    merge: true,
  });

/** The step the open range should start at once points up to `newestMs` are in; null: it stays. */
export const nextOpenFrom = (newestMs: number, openFrom: number): number | null => {
  const start = Math.floor((newestMs - GRACE_MS) / STEP_MS) * STEP_MS;
  return start > openFrom ? start : null;
};

const newestPoint = (points: MetricPoints): number => {
  // Every observation has a device point; its interfaces share its time.
  const stamps = new Set(points.devices.map((point) => point[2]));
  let newest = Number.NEGATIVE_INFINITY;
  for (const stamp of stamps) newest = Math.max(newest, Date.parse(stamp));
  return newest;
};

/**
 * After a live batch's own writes (so its points are in the minute rows it folds): folds the steps
 * the batch closed into the 1-hour tiers and moves the open range past them. Late points were
 * merged by the batch already, so no point is counted twice.
 */
export const foldClosedSteps = async (
  client: Queryable,
  t: VersionTables,
  points: MetricPoints,
  openFrom: number,
): Promise<void> => {
  const next = nextOpenFrom(newestPoint(points), openFrom);
  if (next === null) return;
  const from = Number.isFinite(openFrom) ? new Date(openFrom).toISOString() : '-infinity';
  const to = new Date(next).toISOString();
  await client.query(FOLD_SETTINGS);
  for (const [base, spec] of rollups) {
    // Minute rows written since the last fold are in page ranges the BRIN has not summarized yet
    // (autovacuum may be off); a scan reads unsummarized ranges in full.
    await client.query(
      `select brin_summarize_new_values('${t.schema}.${quoteIdent(minuteTierBrin(t, base))}'::regclass)`,
    );
    await client.query(foldStep(t, base, spec), [from, to]);
  }
  await client.query('set local enable_seqscan = on');
  await client.query(
    `update ${t.table(HOUR_WATERMARK)} set open_from = $1, hour_from = ${bucketOf('1 hour', '$1::timestamptz')}`,
    [to],
  );
};
