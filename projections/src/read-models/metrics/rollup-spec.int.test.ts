import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numericSum, thousandthsSum } from './rollup-spec.js';

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
});
