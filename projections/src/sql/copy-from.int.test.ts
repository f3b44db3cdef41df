import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBinary } from './copy-binary.js';
import { copyRows } from './copy-from.js';
import type { CopyValue } from './copy-text.js';
import type { Column } from './queryable.js';

const postgres = await detectPostgres();

const columns: readonly Column[] = [
  ['label', 'text'],
  ['flag', 'boolean'],
  ['n', 'integer'],
  ['x', 'float8'],
  ['at', 'timestamptz'],
];

// Values that COPY could get wrong: escapes, non-ASCII text, nulls, -0, extreme floats, odd stamps.
const rows: CopyValue[][] = [
  ['tab\there, newline\nthere, back\\slash, cr\r', true, 2_147_483_647, -0, '2026-11-21T10:00:00.123Z'],
  ['héllo ✓ 日本', false, -5, 1e-7, '2026-11-21T10:00:00Z'],
  [null, null, null, null, null],
  ['big', true, 0, 1.5e300, '1999-12-31T23:59:59.999Z'],
  ['tiny', false, 1, 0.1 + 0.2, '2026-11-21T10:00:00.5Z'],
  // Short text is copied unit by unit while ASCII: the limit (64) on both sides, and a late non-ASCII unit.
  ['a'.repeat(64), true, 6, 1, '2026-11-21T10:00:01Z'],
  ['b'.repeat(65), true, 7, 2, '2026-11-21T10:00:02Z'],
  [`${'c'.repeat(63)}é`, true, 8, 3, '2026-11-21T10:00:03Z'],
  [`${'d'.repeat(40)}日本`, true, 9, 4, '2026-11-21T10:00:04Z'],
  ['', true, 10, 5, '2026-11-21T10:00:05Z'],
];
// Stamps the binary path leaves to the text format: microseconds, an offset.
const textOnly: CopyValue[][] = [
  ['micro', true, 3, 2.5, '2026-11-21T10:00:00.123456Z'],
  ['offset', true, 4, 3.5, '2026-11-21T12:00:00+02:00'],
];

describe.skipIf(!postgres.available)('COPY FROM STDIN stores rows as the JSON path does', () => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
  });
  afterAll(async () => {
    await pool.end();
  });

  const storedBothWays = async (input: CopyValue[][]) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const ddl = columns.map(([name, type]) => `${name} ${type}`).join(', ');
      await client.query(`create temporary table by_copy (${ddl}) on commit drop`);
      await client.query(`create temporary table by_json (${ddl}) on commit drop`);
      expect(await copyRows(client, 'by_copy', columns, input)).toBe(input.length);
      await client.query(
        `insert into by_json select p->>0, (p->>1)::boolean, (p->>2)::integer, (p->>3)::float8, (p->>4)::timestamptz
         from jsonb_array_elements($1::jsonb) p`,
        [JSON.stringify(input)],
      );
      const dump = async (table: string) =>
        (
          await client.query(
            `select label, flag, n, x::text, at::text from ${table} order by label nulls first`,
          )
        ).rows;
      const both = { copy: await dump('by_copy'), json: await dump('by_json') };
      await client.query('rollback');
      return both;
    } finally {
      client.release();
    }
  };

  it('in the binary format', async () => {
    expect(copyBinary(['text', 'boolean', 'integer', 'float8', 'timestamptz'], rows)).not.toBeNull();
    const { copy, json } = await storedBothWays(rows);
    expect(copy).toEqual(json);
    expect(copy).toHaveLength(rows.length);
  });

  it('in the text format, when the binary one would not store a value exactly', async () => {
    expect(copyBinary(['text', 'boolean', 'integer', 'float8', 'timestamptz'], textOnly)).toBeNull();
    const { copy, json } = await storedBothWays([...rows, ...textOnly]);
    expect(copy).toEqual(json);
  });
});
