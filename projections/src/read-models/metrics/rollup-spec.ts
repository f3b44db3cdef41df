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

/** A rollup's key column names, in table order. */
export const rollupKeyNames = (spec: RollupSpec): string[] => spec.keys.map(([name]) => name);

/** A rollup's key columns as a select and group-by list. */
export const rollupKeyList = (spec: RollupSpec): string => rollupKeyNames(spec).join(', ');

/** Primary key of a rollup table: its keys but the organization (a device id is global), then bucket. */
export const rollupPrimaryKey = (spec: RollupSpec): string[] => [
  ...rollupKeyNames(spec).filter((name) => name !== 'organization_id'),
  'bucket',
];

/** The aggregated columns of a rollup row (after its keys and bucket), in table order, with types. */
const rollupValues = (spec: RollupSpec): Array<readonly [name: string, type: string]> => [
  ['samples', 'integer not null'],
  ...spec.counts.map(([name]) => [name, 'integer not null'] as const),
  ...spec.measures.flatMap(([, prefix]) => [
    [`${prefix}_count`, 'integer not null'] as const,
    [`${prefix}_sum`, 'numeric not null'] as const,
    [`${prefix}_min`, 'float8'] as const,
    [`${prefix}_max`, 'float8'] as const,
  ]),
];

/** Names of the aggregated columns of a rollup row, in table order. */
export const rollupValueColumns = (spec: RollupSpec): string[] => rollupValues(spec).map(([name]) => name);

/** Column definitions of a rollup table. */
export const rollupColumnsDdl = (spec: RollupSpec): string =>
  [
    ...spec.keys.map(([name, type]) => `${name} ${type} not null`),
    'bucket timestamptz not null',
    ...rollupValues(spec).map(([name, type]) => `${name} ${type}`),
  ].join(',\n    ');

/** How a rollup sums a float8 column exactly into a numeric. */
export type ExactSum = (column: string) => string;

/** The plain way: every value converted to numeric, then added. */
export const numericSum: ExactSum = (column) => `coalesce(sum(${column}::numeric), 0)`;

/**
 * The same sum as `numericSum`, value for value, cheaper: a 1-minute tier of 1.288 M interface
 * samples aggregated in 8.7 s instead of 14.7 s (rollup-spec.int.test.ts). Converting a float8 to
 * numeric prints it with 15 significant digits and parses the text back: the dearest step of every
 * rollup, paid once per value (a rebuild's 1-minute tiers convert millions). A value under 1e11
 * whose thousandfold is a whole number N (pollers round rates to three decimals) converts to exactly
 * N thousandths: the double lies within |x| * 2^-53 of N / 1000, under half a unit of the 15th
 * digit. Those are summed as bigint (int128 accumulation, no numeric per value), scaled once per
 * group; the rest take the plain way. Only the display scale can differ (1000000.000 for 1000000),
 * which no reader sees: averages are computed and returned as float8.
 */
const wholeThousandths = (column: string) =>
  `abs(${column}) < 1e11 and ${column} * 1000 = round(${column} * 1000)`;

export const thousandthsSum: ExactSum = (column) => {
  const whole = wholeThousandths(column);
  return `(coalesce(sum(round(${column} * 1000)::bigint) filter (where ${whole}), 0) * 0.001
    + coalesce(sum(${column}::numeric) filter (where not (${whole})), 0))`;
};

/**
 * `thousandthsSum` of one row, without aggregating: the same value, printed the same. The sum adds
 * a zero of scale 0 to the part that applies; for one row that addition changes neither the value
 * nor the scale of a thousandths product (scale 3), so only the other cases keep it: a null sums to
 * 0.000 and anything else to 0.000 + x::numeric. One numeric addition less per value: a tier's
 * 1.288 M interface rows wrote two such sums in 0.98 s against 1.23–1.36 s.
 */
const thousandthsOfOne = (column: string): string =>
  `(case when ${wholeThousandths(column)} then round(${column} * 1000)::bigint * 0.001
    when ${column} is null then 0.000 else 0.000 + ${column}::numeric end)`;

/**
 * Aggregate select list over raw rows, grouped by keys and `bucket`. The tables the projector keeps
 * use `thousandthsSum`; TimescaleDB's continuous aggregates keep `numericSum`, the form they are
 * documented to support.
 */
export const rollupAggregates = (spec: RollupSpec, exactSum: ExactSum = thousandthsSum): string =>
  [
    'count(*)::integer as samples',
    ...spec.counts.map(([name, condition]) => `(count(*) filter (where ${condition}))::integer as ${name}`),
    ...spec.measures.flatMap(([column, prefix]) => [
      `count(${column})::integer as ${prefix}_count`,
      `${exactSum(column)} as ${prefix}_sum`,
      `min(${column}) as ${prefix}_min`,
      `max(${column}) as ${prefix}_max`,
    ]),
  ].join(', ');

/**
 * The select list of `rollupAggregates` for a raw row that is alone in its bucket, computed without
 * aggregating: the same row, digit for digit (rollup-spec.int.test.ts). Aggregating groups of one
 * paid a hash entry and 17 transition states per row: a 1-minute tier of interfaces polled every
 * minute is made of nothing else.
 */
export const rollupOfOne = (spec: RollupSpec): string =>
  [
    '1 as samples',
    ...spec.counts.map(([name, condition]) => `(case when ${condition} then 1 else 0 end) as ${name}`),
    ...spec.measures.flatMap(([column, prefix]) => [
      `(${column} is not null)::integer as ${prefix}_count`,
      `${thousandthsOfOne(column)} as ${prefix}_sum`,
      `${column} as ${prefix}_min`,
      `${column} as ${prefix}_max`,
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
