import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceRollup, numericSum, rollupAggregates, rollupOfOne, thousandthsSum } from './rollup-spec.js';

const postgres = await detectPostgres();

/** Values at every edge of the thousandths path, and ones that must take the numeric path. */
const edges = [
  '0.1::float8 + 0.2::float8',
  '1234.567',
  '-1234.567',
  '0.0005',
  '0.001',
  '1e-7',
  '1::float8 / 3',
  '99999999999.999',
  '1e11',
  '1e11 - 0.001',
  '123456789012.3456',
  '1e15',
  '9007199254740993',
  "'-0'::float8",
  '0',
  '1000000',
  '2.675',
  '1.0005',
  'null',
];

describe.skipIf(!postgres.available)('exact sums of float8 samples', () => {
  let pool: pg.Pool;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
  });

  /** Both sums of each group, over the same rows. */
  const sums = async (values: string) =>
    (
      await pool.query<{ g: number; plain: string; fast: string; equal: boolean }>(
        `select g, ${numericSum('x')}::text as plain, ${thousandthsSum('x')}::text as fast,
           ${numericSum('x')} = ${thousandthsSum('x')} as equal
         from (${values}) v(g, x) group by g order by g`,
      )
    ).rows;

  it('equal numeric sums for each edge value alone', async () => {
    const rows = await sums(edges.map((value, g) => `select ${g}, (${value})::float8`).join(' union all '));
    expect(rows).toHaveLength(edges.length);
    for (const row of rows) expect({ value: edges[row.g], ...row }).toMatchObject({ equal: true });
  });

  it('equal numeric sums over groups mixing both paths and many rounded rates', async () => {
    const edgeArray = `(array[${edges.map((value) => `(${value})::float8`).join(', ')}])`;
    const rows = await sums(
      `select i % 97, case when i % 11 = 0 then ${edgeArray}[1 + i % ${edges.length}] end
       from generate_series(1, 20000) i
       union all
       select i % 97, round((sin(i) * 1e9)::numeric, 3)::float8 from generate_series(1, 20000) i
       union all
       select i % 97, sin(i) * 1e4 from generate_series(1, 2000) i`,
    );
    expect(rows).toHaveLength(97);
    expect(rows.filter((row) => !row.equal)).toEqual([]);
  });

  it('a row alone in its bucket made without aggregating, printed as its aggregate', async () => {
    // Every measure and the counted condition take each edge value (null included) in turn.
    const rows = edges
      .map(
        (value, g) =>
          `select ${g} as g, (${value})::float8 as rtt_avg_ms, (${edges[(g + 1) % edges.length]})::float8 as loss_pct,
             (${edges[(g + 2) % edges.length]})::float8 as tcp_connect_ms, (${edges[(g + 3) % edges.length]})::float8 as cpu_pct,
             (${edges[(g + 4) % edges.length]})::float8 as memory_pct,
             case ${g} % 3 when 0 then true when 1 then false end as reachable`,
      )
      .join(' union all ');
    const printed = async (select: string) =>
      (await pool.query<{ row: string }>(`select s::text as row from (${select}) s order by g`)).rows.map(
        (row) => row.row,
      );
    const aggregated = await printed(
      `select g, ${rollupAggregates(deviceRollup)} from (${rows}) r group by g`,
    );
    const alone = await printed(`select g, ${rollupOfOne(deviceRollup)} from (${rows}) r`);
    const compared = aggregated.map((row, g) => ({ g, aggregated: row, alone: alone[g] }));
    expect(compared).toHaveLength(edges.length);
    expect(compared.filter((row) => row.aggregated !== row.alone)).toEqual([]);
    // Not vacuous: the rows carry the values themselves.
    expect(compared.map((row) => row.alone).join(' ')).toContain('1234.567');
  });
});
