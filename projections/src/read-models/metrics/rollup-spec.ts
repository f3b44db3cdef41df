/**
 * What a rollup row holds, shared by the projector-kept rollup tables and TimescaleDB's continuous
 * aggregates so both paths answer the same queries. Sums are `numeric`: exact, so merging partial
 * sums batch by batch gives the same figure however the log was cut into batches (float sums would
 * differ in the last bits between a live run and a rebuild).
 */
export type RollupSpec = Readonly<{
  /** Key columns besides the bucket. */
  keys: readonly (readonly [name: string, type: string])[];
  /** Source column → prefix of its count / sum / min / max columns. */
  measures: readonly (readonly [column: string, prefix: string])[];
  /** Extra counted conditions: column name → SQL condition. */
  counts: readonly (readonly [name: string, condition: string])[];
}>;

export const deviceRollup: RollupSpec = {
  keys: [
    ['organization_id', 'text'],
    ['device_id', 'text'],
  ],
  measures: [
    ['rtt_avg_ms', 'rtt'],
    ['loss_pct', 'loss'],
    ['tcp_connect_ms', 'tcp_connect'],
    ['cpu_pct', 'cpu'],
    ['memory_pct', 'memory'],
  ],
  counts: [['reachable_samples', 'reachable']],
};

export const interfaceRollup: RollupSpec = {
  keys: [
    ['organization_id', 'text'],
    ['device_id', 'text'],
    ['if_index', 'integer'],
  ],
  measures: [
    ['in_bps', 'in_bps'],
    ['out_bps', 'out_bps'],
    ['in_errors', 'in_errors'],
    ['out_errors', 'out_errors'],
  ],
  counts: [],
};

/** Primary key of a rollup table: its keys but the organization (a device id is global), then bucket. */
export const rollupPrimaryKey = (spec: RollupSpec): string[] => [
  ...spec.keys.map(([name]) => name).filter((name) => name !== 'organization_id'),
  'bucket',
];

/** Column definitions of a rollup table. */
export const rollupColumnsDdl = (spec: RollupSpec): string =>
  [
    ...spec.keys.map(([name, type]) => `${name} ${type} not null`),
    'bucket timestamptz not null',
    'samples integer not null',
    ...spec.counts.map(([name]) => `${name} integer not null`),
    ...spec.measures.flatMap(([, prefix]) => [
      `${prefix}_count integer not null`,
      `${prefix}_sum numeric not null`,
      `${prefix}_min float8`,
      `${prefix}_max float8`,
    ]),
  ].join(',\n    ');

/** Aggregate select list over raw rows, grouped by keys and `bucket`. */
export const rollupAggregates = (spec: RollupSpec): string =>
  [
    'count(*)::integer as samples',
    ...spec.counts.map(([name, condition]) => `(count(*) filter (where ${condition}))::integer as ${name}`),
    ...spec.measures.flatMap(([column, prefix]) => [
      `count(${column})::integer as ${prefix}_count`,
      `coalesce(sum(${column}::numeric), 0) as ${prefix}_sum`,
      `min(${column}) as ${prefix}_min`,
      `max(${column}) as ${prefix}_max`,
    ]),
  ].join(', ');

/** `on conflict` assignments merging a batch's partial aggregate into the stored one (alias `t`). */
export const rollupMerge = (spec: RollupSpec): string =>
  [
    'samples = t.samples + excluded.samples',
    ...spec.counts.map(([name]) => `${name} = t.${name} + excluded.${name}`),
    ...spec.measures.flatMap(([, prefix]) => [
      `${prefix}_count = t.${prefix}_count + excluded.${prefix}_count`,
      `${prefix}_sum = t.${prefix}_sum + excluded.${prefix}_sum`,
      `${prefix}_min = least(t.${prefix}_min, excluded.${prefix}_min)`,
      `${prefix}_max = greatest(t.${prefix}_max, excluded.${prefix}_max)`,
    ]),
  ].join(', ');

/** Aggregate select list re-aggregating finer rollup rows into a coarser bucket (exact: numeric sums). */
export const rollupOfRollups = (spec: RollupSpec): string =>
  [
    'sum(samples)::integer as samples',
    ...spec.counts.map(([name]) => `sum(${name})::integer as ${name}`),
    ...spec.measures.flatMap(([, prefix]) => [
      `sum(${prefix}_count)::integer as ${prefix}_count`,
      `sum(${prefix}_sum) as ${prefix}_sum`,
      `min(${prefix}_min) as ${prefix}_min`,
      `max(${prefix}_max) as ${prefix}_max`,
    ]),
  ].join(', ');
