import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { quoteIdent } from '../../postgres/pool.js';
import { testEvent } from '../testing/events.js';
import { PostgresEventStore } from './postgres-event-store.js';

const postgres = await detectPostgres();

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** Records the statements the store's connections run whose text contains `marker`. */
const recordStatements = (pool: pg.Pool, marker: string) => {
  const seen: { text: string; values: unknown[] }[] = [];
  const wrapped = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text === 'string' && text.includes(marker) && Array.isArray(values))
        seen.push({ text, values });
      return query(...args);
    };
  });
  return seen;
};

describe.skipIf(!postgres.available)('PostgreSQL append statement plan', () => {
  it('moves the heads of a small append by primary key, not by scanning every stream', async () => {
    const schema = uniqueSchemaName('es_plan');
    const store = await PostgresEventStore.connect({ connectionString: testDatabaseUrl(), schema });
    try {
      // A fleet's worth of streams, with statistics, as in a deployment that has run for a while.
      for (let batch = 0; batch < 3; batch++)
        await store.appendMany(
          Array.from({ length: 1_000 }, (_, i) => ({
            streamId: `device-plan-${batch}-${i}`,
            expectedVersion: 'any' as const,
            events: [testEvent('DeviceRegistered', { n: i })],
          })),
        );
      await store.pool.query(`analyze ${quoteIdent(schema)}.streams`);

      const statements = recordStatements(store.pool, 'moved_heads');
      await store.appendMany(
        ['device-plan-0-7', 'device-plan-2-500'].map((streamId) => ({
          streamId,
          expectedVersion: 0n,
          events: [testEvent('DeviceStatusChanged', { to: 'down' })],
        })),
      );
      expect(statements).toHaveLength(1);

      const { text, values } = statements[0]!;
      const { rows } = await store.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `explain (format json) ${text}`,
        values,
      );
      const onStreams = nodes(rows[0]!['QUERY PLAN'][0].Plan).filter(
        (node) => node['Relation Name'] === 'streams',
      );
      expect(onStreams.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      expect(onStreams.some((node) => node['Node Type'].startsWith('Index'))).toBe(true);
      const { rows: heads } = await store.pool.query<{ version: string }>(
        `select version::text from ${quoteIdent(schema)}.streams where stream_id in ('device-plan-0-7', 'device-plan-2-500')`,
      );
      expect(heads.map((head) => head.version)).toEqual(['1', '1']);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
