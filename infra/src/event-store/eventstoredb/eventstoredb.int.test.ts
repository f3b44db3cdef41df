import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  START as ESDB_START,
  EventStoreDBClient,
  FORWARDS,
  type JSONType,
  jsonEvent,
} from '@eventstore/db-client';
import { START } from '@netpulse/domain';
import { detectBackend } from '@netpulse/testing';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { eventStoreContract } from '../testing/contract.js';
import { testEvent, testEvents, uniqueStream } from '../testing/events.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { readStreamMetadata } from './reads.js';

/** EVENTSTORE_URL runs everything against that server; otherwise a throwaway container. */
const serverUrl = process.env.EVENTSTORE_URL;
const image = process.env.EVENTSTORE_IMAGE ?? 'eventstore/eventstore:24.10';

/** A write succeeds only once the node has become leader, some time after it answers HTTP. */
const waitUntilWritable = async (connectionString: string, timeoutMs: number): Promise<void> => {
  const client = EventStoreDBClient.connectionString(connectionString);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.appendToStream(`probe-${randomUUID()}`, jsonEvent({ type: 'Probe', data: {} }), {
          deadline: 5_000,
        });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await client.dispose();
  }
};

const backend = serverUrl
  ? await detectBackend('EventStoreDB at EVENTSTORE_URL', () => waitUntilWritable(serverUrl, 5_000))
  : await detectBackend('Docker (for EventStoreDB via testcontainers)', () => getContainerRuntimeClient(), {
      requiredInCi: false,
    });

const prefix = image.includes('kurrent') ? 'KURRENTDB' : 'EVENTSTORE';

/** Starts an insecure single node (or uses EVENTSTORE_URL) and returns its connection string. */
const startServer = async (): Promise<{ connectionString: string; stop: () => Promise<void> }> => {
  if (serverUrl) return { connectionString: serverUrl, stop: async () => {} };
  const container: StartedTestContainer = await new GenericContainer(image)
    .withEnvironment({
      [`${prefix}_INSECURE`]: 'true',
      [`${prefix}_CLUSTER_SIZE`]: '1',
      [`${prefix}_RUN_PROJECTIONS`]: 'None',
      [`${prefix}_MEM_DB`]: 'true',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(
      Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code >= 200 && code < 300),
    )
    .withStartupTimeout(120_000)
    .start();
  const connectionString = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
  await waitUntilWritable(connectionString, 60_000);
  return { connectionString, stop: async () => void (await container.stop()) };
};

const openStore = (connectionString: string, observationMaxAgeSeconds?: number) =>
  EventStoreDbEventStore.connect({
    connectionString,
    ...(observationMaxAgeSeconds !== undefined ? { observationMaxAgeSeconds } : {}),
    subscription: { initialBackoffMs: 50, maxBackoffMs: 1_000 },
  });

/**
 * Stored EventStoreDB events cannot be edited, so the closest an attacker with admin rights gets
 * to "rewriting the event at `version`" is rewriting history: hide every event with `$tb` and
 * append copies (ids and metadata, hashes included, kept) with that event's data altered. The copies
 * land at new revisions; verification flags the first of them.
 */
const rewriteHistory = async (
  client: EventStoreDBClient,
  streamId: string,
  version: bigint,
  data: JSONType,
) => {
  const originals = [];
  for await (const resolved of client.readStream(streamId, {
    direction: FORWARDS,
    fromRevision: ESDB_START,
  })) {
    if (resolved.event) originals.push(resolved.event);
  }
  const last = originals[originals.length - 1]!.revision;
  const { revision, data: metadata } = await readStreamMetadata(client, streamId);
  await client.setStreamMetadata(
    streamId,
    { ...metadata, $tb: Number(last + 1n) },
    {
      expectedRevision: revision ?? 'no_stream',
    },
  );
  await client.appendToStream(
    streamId,
    originals.map((event) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: (event.revision === version ? data : event.data) as JSONType,
        metadata: event.metadata as JSONType,
      }),
    ),
    { expectedRevision: last },
  );
};

eventStoreContract(
  'EventStoreDB',
  async () => {
    const server = await startServer();
    const store = openStore(server.connectionString);
    const raw = EventStoreDBClient.connectionString(server.connectionString);
    return {
      store,
      // One commit order: there is no transaction to hold open, the append happens on commit.
      commitOrder: 'single',
      tamperInPlace: false,
      appendHeldOpen: async (streamId, events) => ({
        commit: async () => {
          await store.appendToStream(streamId, events, { expectedVersion: 'any' });
        },
      }),
      tamper: (streamId, version, data) => rewriteHistory(raw, streamId, version, data),
      cleanup: async () => {
        await store.close();
        await raw.dispose();
        await server.stop();
      },
    };
  },
  backend.reason,
);

describe.skipIf(!backend.available)('EventStoreDB event store specifics', () => {
  it('orders a late writer after what readers already passed, and detects rewritten history', async () => {
    const server = await startServer();
    const store = openStore(server.connectionString);
    const raw = EventStoreDBClient.connectionString(server.connectionString);
    try {
      const category = `late${Date.now().toString(36)}`;
      const { checkpoint } = await store.appendToStream(`${category}-0`, testEvents(1), {
        expectedVersion: 'any',
      });
      await store.appendToStream(`${category}-1`, [testEvent('Later')], { expectedVersion: 'any' });
      const first = await store.readAll({ after: checkpoint, filter: { categories: [category] } });
      expect(first.events.map((e) => e.type)).toEqual(['Later']);
      await store.appendToStream(`${category}-2`, [testEvent('Early')], { expectedVersion: 'any' });
      const next = await store.readAll({ after: first.checkpoint, filter: { categories: [category] } });
      expect(next.events.map((e) => e.type)).toEqual(['Early']);

      const stream = uniqueStream();
      await store.appendToStream(stream, testEvents(4), { expectedVersion: 'no-stream' });
      await rewriteHistory(raw, stream, 2n, { n: 99 });
      expect(await store.verifyStream(stream)).toMatchObject({ ok: false, brokenAtVersion: 4n });
    } finally {
      await store.close();
      await raw.dispose();
      await server.stop();
    }
  });

  it('gives new observation streams $maxAge and keeps appending once every event expired', async () => {
    const server = await startServer();
    const store = openStore(server.connectionString, 1);
    try {
      const stream = uniqueStream('observations');
      await store.appendToStream(stream, [testEvent('Old')], { expectedVersion: 'any' });
      expect((await readStreamMetadata(store.client, stream)).data).toMatchObject({ $maxAge: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await store.readStream(stream)).toEqual({ currentVersion: null, events: [] });
      await expect(
        store.appendToStream(stream, [testEvent('Again')], { expectedVersion: 'no-stream' }),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', actual: 0n });
      const next = await store.appendToStream(stream, [testEvent('New')], { expectedVersion: 'any' });
      expect(next.nextExpectedVersion).toBe(1n);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventsChecked: 1 });
    } finally {
      await store.close();
      await server.stop();
    }
  });

  it('reads $all with the client as the adapter expects: positions on events, START and END', async () => {
    const server = await startServer();
    const store = openStore(server.connectionString);
    try {
      const { checkpoint } = await store.appendToStream(uniqueStream(), testEvents(1), {
        expectedVersion: 'any',
      });
      let last: unknown;
      for await (const resolved of store.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
      })) {
        last = resolved.event?.position;
      }
      expect(last).toBeDefined();
      expect(checkpoint).toMatch(/^C:\d+\/P:\d+$/);
      expect((await store.readAll({ after: START, limit: 1 })).events).toHaveLength(1);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
