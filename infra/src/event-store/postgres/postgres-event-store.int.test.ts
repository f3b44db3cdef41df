import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { describe, expect, it } from 'vitest';
import { createPool, quoteIdent } from '../../postgres/pool.js';
import { eventStoreContract } from '../testing/contract.js';
import { testEvent, uniqueStream } from '../testing/events.js';
import { startPostgresRelay } from '../testing/postgres-relay.js';
import { appendLocked } from './append.js';
import { PostgresEventStore } from './postgres-event-store.js';

const postgres = await detectPostgres();

const openStore = async (schema = uniqueSchemaName('es')) =>
  PostgresEventStore.connect({ connectionString: testDatabaseUrl(), schema, pollIntervalMs: 200 });

eventStoreContract(
  'PostgreSQL',
  async () => {
    const store = await openStore();
    return {
      store,
      commitOrder: 'transactions',
      tamperInPlace: true,
      appendHeldOpen: async (streamId, events) => {
        const client = await store.pool.connect();
        await appendLocked(client, store.schema, [{ streamId, events, expectedVersion: 'any' }], {
          checkExisting: false,
          now: new Date(),
          begin: true,
        });
        return {
          commit: async () => {
            await client.query('commit');
            client.release();
          },
        };
      },
      tamper: async (streamId, version, data) => {
        await store.pool.query(
          `update ${quoteIdent(store.schema)}.events set data = $3 where stream_id = $1 and stream_version = $2`,
          [streamId, version, JSON.stringify(data)],
        );
      },
      cleanup: async () => {
        await store.close();
        await dropSchema(store.schema);
      },
    };
  },
  postgres.reason,
);

describe.skipIf(!postgres.available)('PostgreSQL event store specifics', () => {
  it('keeps telemetry in daily partitions and drops days past retention', async () => {
    const store = await openStore();
    try {
      const stream = uniqueStream('observations');
      const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
      await store.appendToStream(stream, [testEvent('DeviceObserved', { observedAt: old })], {
        expectedVersion: 'any',
      });
      await store.appendToStream(
        stream,
        [testEvent('DeviceObserved', { observedAt: new Date().toISOString() })],
        {
          expectedVersion: 'any',
        },
      );
      const dropped = await store.pruneTelemetry(7);
      expect(dropped).toEqual([`telemetry_events_p${old.slice(0, 10).replaceAll('-', '')}`]);
      const left = await store.readStream(stream);
      expect(left.events.map((e) => e.streamVersion)).toEqual([1n]);
      // The chain still verifies from the first retained event.
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 1 });
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('refuses data PostgreSQL cannot store with VALIDATION_FAILED instead of retrying it', async () => {
    const store = await openStore();
    try {
      const stream = uniqueStream('device');
      await expect(
        store.appendToStream(stream, [testEvent('Named', { name: 'nul\u0000byte' })], {
          expectedVersion: 'any',
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((await store.readStream(stream)).currentVersion).toBeNull();
      // Telemetry's payload columns are json, not jsonb: refused alike.
      const observations = uniqueStream('observations');
      await expect(
        store.appendToStream(observations, [testEvent('DeviceObserved', { name: 'nul\u0000byte' })], {
          expectedVersion: 'any',
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      // A backslash followed by "u0000" is text like any other.
      const text = { name: 'a \\u0000 b' };
      await store.appendToStream(observations, [testEvent('DeviceObserved', text)], {
        expectedVersion: 'any',
      });
      expect((await store.readStream(observations)).events.map((event) => event.data)).toEqual([text]);
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('moves a filtered read that finds nothing past the rows it examined, never past a match', async () => {
    const store = await openStore();
    try {
      const rare = `rare${Date.now().toString(36)}`;
      const { checkpoint: first } = await store.appendToStream(`${rare}-0`, [testEvent('Rare')], {
        expectedVersion: 'any',
      });
      const [busy] = await store.appendMany([
        { streamId: 'busy-0', events: [testEvent('Busy'), testEvent('Busy')], expectedVersion: 'any' },
      ]);
      const empty = await store.readAll({ after: first, filter: { categories: [rare] } });
      expect(empty.events).toEqual([]);
      // Past the other category's events: the next read does not walk them again.
      expect(store.compareCheckpoints(empty.checkpoint, busy!.checkpoint)).toBeGreaterThan(0);
      const { checkpoint: second } = await store.appendToStream(`${rare}-1`, [testEvent('Rare')], {
        expectedVersion: 'any',
      });
      const next = await store.readAll({ after: empty.checkpoint, filter: { categories: [rare] } });
      expect(next.events.map((event) => event.checkpoint)).toEqual([second]);
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('is not held back by a long transaction that writes elsewhere, only by appends', async () => {
    const store = await openStore();
    const other = await store.pool.connect();
    try {
      const category = `hz${Date.now().toString(36)}`;
      const { checkpoint } = await store.appendToStream(`${category}-0`, [testEvent('Before')], {
        expectedVersion: 'any',
      });
      // A writer elsewhere in the cluster (a read-model batch, a report) with an older transaction id.
      await other.query('begin');
      await other.query('create temporary table scratch (v int)');
      await other.query('insert into scratch values (1)');
      await store.appendToStream(`${category}-1`, [testEvent('After')], { expectedVersion: 'any' });
      const seen = await store.readAll({ after: checkpoint, filter: { categories: [category] } });
      expect(seen.events.map((e) => e.type)).toEqual(['After']);
    } finally {
      await other.query('rollback');
      other.release();
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('never skips a committed event while many appends commit concurrently', async () => {
    // Regression: a committing transaction that had released its streams lock but not its xid lock
    // looked running-but-not-appending, so readers moved past its rows and never saw them. The
    // window is narrow: telemetry appends of many streams, read as fast as they commit, hit it.
    const store = await openStore();
    try {
      let appending = true;
      const seen = new Set<string>();
      const reader = (async () => {
        let after: string | undefined;
        let idle = 0;
        while (appending || idle < 10) {
          const page = await store.readAll({ after, filter: { categories: ['observations'] }, limit: 500 });
          for (const event of page.events) seen.add(event.id);
          after = page.checkpoint;
          idle = page.events.length === 0 && !appending ? idle + 1 : 0;
          if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const stopAt = Date.now() + 8_000;
      let appended = 0;
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          while (Date.now() < stopAt) {
            const observedAt = new Date().toISOString();
            const appends = Array.from({ length: 20 }, (_, index) => ({
              streamId: `observations-w${writer}d${index}`,
              expectedVersion: 'any' as const,
              events: [testEvent('DeviceObserved', { observedAt })],
            }));
            await store.appendMany(appends);
            appended += appends.length;
          }
        }),
      );
      appending = false;
      await reader;
      expect(seen.size).toBe(appended);
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  }, 40_000);

  it('stores telemetry payloads as json, and keeps working on a store whose telemetry was jsonb', async () => {
    const columnTypes = async (store: PostgresEventStore) =>
      (
        await store.pool.query<{ type: string }>(
          `select format_type(atttypid, atttypmod) as type from pg_attribute
           where attrelid = $1::regclass and attname in ('data', 'metadata') order by attname`,
          [`${quoteIdent(store.schema)}.telemetry_events`],
        )
      ).rows.map((row) => row.type);
    const fresh = await openStore();
    try {
      expect(await columnTypes(fresh)).toEqual(['json', 'json']);
    } finally {
      await fresh.close();
    }

    // A store from before 0006 (jsonb, migration not recorded) that holds telemetry: migrating it
    // must not rewrite the partitions.
    const schema = uniqueSchemaName('es');
    const pool = createPool({ connectionString: testDatabaseUrl(), max: 2 });
    const observations = uniqueStream('observations');
    const before = testEvent('DeviceObserved', { n: 1, nested: { ok: true } });
    try {
      const jsonbStore = await PostgresEventStore.connect({ connectionString: testDatabaseUrl(), schema });
      await pool.query(`delete from ${quoteIdent(schema)}.schema_migrations where id >= '0006'`);
      await pool.query(
        `alter table ${quoteIdent(schema)}.telemetry_events alter column data type jsonb, alter column metadata type jsonb`,
      );
      await jsonbStore.appendToStream(observations, [before], { expectedVersion: 'any' });
      await jsonbStore.close();
    } finally {
      await pool.end();
    }
    const upgraded = await openStore(schema);
    try {
      expect(await columnTypes(upgraded)).toEqual(['jsonb', 'jsonb']);
      const after = testEvent('DeviceObserved', { n: 2 });
      await upgraded.appendToStream(observations, [after], { expectedVersion: 'any' });
      const decision = testEvent('DeviceRegistered', { name: 'd' });
      await upgraded.appendToStream(uniqueStream('device'), [decision], { expectedVersion: 'any' });
      const { events } = await upgraded.readAll({ limit: 10 });
      expect(events.map((event) => event.data)).toEqual([before.data, after.data, decision.data]);
      expect(await upgraded.verifyStream(observations)).toMatchObject({ ok: true, eventsChecked: 2 });
    } finally {
      await upgraded.close();
      await dropSchema(schema);
      await dropSchema(fresh.schema);
    }
  });

  it('applies migrations once when several processes start together', async () => {
    const schema = uniqueSchemaName('mig');
    const stores = await Promise.all([openStore(schema), openStore(schema), openStore(schema)]);
    try {
      const { rows } = await stores[0]!.pool.query(`select id from ${quoteIdent(schema)}.schema_migrations`);
      expect(rows.map((row) => row.id).sort()).toEqual([
        '0001-event-store',
        '0002-expect-moved',
        '0003-telemetry-without-primary-key',
        '0004-notify-table-name',
        '0005-notify-after-commit',
        '0006-telemetry-json',
      ]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(schema);
    }
  });

  it('recovers a subscription after its database connections are killed', async () => {
    const store = await openStore();
    try {
      const category = `kill${Date.now().toString(36)}`;
      const seen: string[] = [];
      const errors: unknown[] = [];
      const subscription = store.subscribe({
        after: 'start',
        filter: { categories: [category] },
        onBatch: async (events) => {
          seen.push(...events.map((e) => e.id));
        },
        onError: (error) => errors.push(error),
      });
      await store.appendToStream(`${category}-1`, [testEvent('Before')], { expectedVersion: 'any' });
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
      await store.pool.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where application_name = 'netpulse-event-store' and pid <> pg_backend_pid() and datname = current_database()`,
      );
      // The pool may hand out a connection that was just killed: the store retries, the caller sees success.
      await store.appendToStream(`${category}-1`, [testEvent('After')], { expectedVersion: 'any' });
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
      await subscription.close();
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  });
  it('stores an append once when the connection drops after its commit, before the acknowledgement', async () => {
    const relay = await startPostgresRelay(testDatabaseUrl());
    const schema = uniqueSchemaName('es_ack');
    const store = await PostgresEventStore.connect({ connectionString: relay.connectionString, schema });
    try {
      const stream = uniqueStream('observations');
      const first = testEvent('DeviceObserved', { observedAt: new Date().toISOString() });
      await store.appendToStream(stream, [first], { expectedVersion: 'any' });
      // Both append paths: the one-statement append on a known head, then the locking one.
      await relay.loseAcks();
      const second = testEvent('DeviceObserved', { observedAt: new Date().toISOString() });
      const result = await store.appendToStream(stream, [second], { expectedVersion: 'any' });
      const fresh = uniqueStream('device');
      await store.appendToStream(fresh, [testEvent('DeviceRegistered')], { expectedVersion: 'no-stream' });
      await relay.up();
      expect(relay.acksLost).toBeGreaterThanOrEqual(2);
      expect(result.nextExpectedVersion).toBe(1n);
      const stored = await store.readStream(stream);
      expect(stored.events.map((event) => event.id)).toEqual([first.id, second.id]);
      expect((await store.readStream(fresh)).events).toHaveLength(1);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true });
    } finally {
      await store.close();
      await relay.close();
      await dropSchema(schema);
    }
  });
});
