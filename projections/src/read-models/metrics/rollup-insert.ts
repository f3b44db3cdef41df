import { bucketOf, type TierInterval } from './metrics-tables.js';
import {
  type RollupSpec,
  rollupAggregates,
  rollupKeyList,
  rollupMerge,
  rollupOfRollups,
  rollupPrimaryKey,
} from './rollup-spec.js';

export type RollupInsert = Readonly<{
  /** The tier's table (qualified). */
  target: string;
  /** Raw rows (with a `time`) or the rows of a finer tier (with a `bucket`). */
  source: string;
  from: 'raw' | 'rollup';
  spec: RollupSpec;
  interval: TierInterval;
  /** Which source rows: a condition, or all of them. */
  where?: string;
  /** Merge into rows already there (live batches, folds) instead of only inserting (a rebuild's fill). */
  merge: boolean;
}>;

/**
 * Aggregates source rows into a tier's buckets: every way a rollup row is made (a live batch, a
 * fold of minute rows into hours, a rebuild's fill) goes through here, so all of them compute the
 * same row for the same points.
 */
export const rollupInsert = ({
  target,
  source,
  from,
  spec,
  interval,
  where,
  merge,
}: RollupInsert): string => {
  const keys = rollupKeyList(spec);
  const bucket = bucketOf(interval, from === 'raw' ? 'time' : 'bucket');
  return `insert into ${target} as t
    select ${keys}, ${bucket} as bucket, ${from === 'raw' ? rollupAggregates(spec) : rollupOfRollups(spec)}
    from ${source} ${where ? `where ${where}` : ''} group by ${keys}, ${bucket}${
      merge
        ? `\n    on conflict (${rollupPrimaryKey(spec).join(', ')}) do update set ${rollupMerge(spec)}`
        : ''
    }`;
};
