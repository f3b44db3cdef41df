import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { describe, expect, it } from 'vitest';
import { testEvent, uniqueStream } from '../testing/events.js';
import { appendLocked } from './append.js';
import { appendTopic } from './append-topics.js';
import { notifyAppended } from './notifier.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { notifyChannel } from './schema.js';

const postgres = await detectPostgres();

// No polling fallback worth the name: only notifications can wake these readers in time.
const openStore = () =>
  PostgresEventStore.connect({
    connectionString: testDatabaseUrl(),
    schema: uniqueSchemaName('es_notify'),
    pollIntervalMs: 60_000,
  });

const observation = () => testEvent('DeviceObserved', { observedAt: new Date().toISOString() });

/** A subscription to the device category from the start, recording the types it receives. */
const deviceReader = (store: PostgresEventStore) => {
  const seen: string[] = [];
  const subscription = store.subscribe({
    after: 'start',
    filter: { categories: ['device'] },
    onBatch: async (events) => {
      seen.push(...events.map((event) => event.type));
    },
  });
  return { seen, subscription };
};

describe.skipIf(!postgres.available)('PostgreSQL append notifications', () => {
  it('wakes a reader only for appends to the categories its filter can match', async () => {
    const store = await openStore();
    // Log reads that nothing prompted but a notification: a page the horizon held back (a
    // transaction anywhere in the cluster still finishing, such as another test's) is read again at
    // the next notification of any table, by design; any other read must follow an append the
    // filter can match.
    const pageReads = { unprompted: 0 };
    let lastHeldBack = false;
    const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => Promise<unknown>;
    (store.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (
      ...args
    ) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      // The horizon is in every page read, in nothing else.
      if (!text?.includes('horizon')) return query(...args);
      if (!lastHeldBack) pageReads.unprompted += 1;
      const results = (await query(...args)) as { rows: unknown[][] }[];
      // The page's last row is its sentinel: whether the horizon held anything back.
      lastHeldBack = results.at(-1)?.rows.at(-1)?.[9] === true;
      return results;
    };
    const { seen, subscription } = deviceReader(store);
    try {
      const device = uniqueStream('device');
      await store.appendToStream(device, [testEvent('DeviceRegistered')], { expectedVersion: 'any' });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['DeviceRegistered']);
      // The first read may have found that event before the LISTEN connection was up; its arrival
      // wakes every reader once. A second event seen in time (polling is a minute) proves it is up.
      await store.appendToStream(device, [testEvent('DeviceUpdated')], { expectedVersion: 'any' });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['DeviceRegistered', 'DeviceUpdated']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = pageReads.unprompted;
      for (let i = 0; i < 5; i++)
        await store.appendToStream(uniqueStream('observations'), [observation()], { expectedVersion: 'any' });
      // Alerts live in the same table as devices: only the category tells them apart.
      for (let i = 0; i < 5; i++)
        await store.appendToStream(uniqueStream('alert'), [testEvent('AlertRaised')], {
          expectedVersion: 'any',
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pageReads.unprompted).toBe(before);
      await store.appendToStream(device, [testEvent('DeviceUpdated')], { expectedVersion: 'any' });
      await expect
        .poll(() => seen, { timeout: 5_000 })
        .toEqual(['DeviceRegistered', 'DeviceUpdated', 'DeviceUpdated']);
    } finally {
      await subscription.close();
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('wakes a reader of decisions when the telemetry append that held its event back commits', async () => {
    const store = await openStore();
    const held = await store.pool.connect();
    const { seen, subscription } = deviceReader(store);
    try {
      const device = uniqueStream('device');
      await store.appendToStream(device, [testEvent('DeviceRegistered')], { expectedVersion: 'any' });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['DeviceRegistered']);
      // (The day's telemetry partition exists once an ordinary append has made it.)
      const stream = uniqueStream('observations');
      await store.appendToStream(stream, [observation()], { expectedVersion: 'any' });
      // An observation append still in flight, with the older transaction id…
      await appendLocked(
        held,
        store.schema,
        [{ streamId: stream, events: [observation()], expectedVersion: 'any' }],
        {
          checkExisting: false,
          now: new Date(),
          begin: true,
        },
      );
      // …hides a decision committed after it: the reader wakes, finds nothing visible yet.
      await store.appendToStream(device, [testEvent('DeviceUpdated')], { expectedVersion: 'any' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toEqual(['DeviceRegistered']);
      // Its commit notifies the observations' category only (as the store does after an append
      // commits); the held-back reader must wake for it too.
      await held.query('commit');
      await notifyAppended(held, notifyChannel(store.schema), new Set([appendTopic(stream)]));
      await expect.poll(() => seen, { timeout: 5_000 }).toEqual(['DeviceRegistered', 'DeviceUpdated']);
    } finally {
      held.release();
      await subscription.close();
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('wakes a reader for the table an older writer names, during a rolling upgrade', async () => {
    const store = await openStore();
    const { seen, subscription } = deviceReader(store);
    const writer = await store.pool.connect();
    try {
      const device = uniqueStream('device');
      await store.appendToStream(device, [testEvent('DeviceRegistered')], { expectedVersion: 'any' });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['DeviceRegistered']);
      // An older writer: the append commits, and its notification names the table only.
      await appendLocked(
        writer,
        store.schema,
        [{ streamId: device, events: [testEvent('DeviceUpdated')], expectedVersion: 'any' }],
        {
          checkExisting: false,
          now: new Date(),
          begin: true,
        },
      );
      await writer.query('commit');
      await notifyAppended(writer, notifyChannel(store.schema), new Set(['events']));
      await expect.poll(() => seen, { timeout: 5_000 }).toEqual(['DeviceRegistered', 'DeviceUpdated']);
    } finally {
      writer.release();
      await subscription.close();
      await store.close();
      await dropSchema(store.schema);
    }
  });
});
