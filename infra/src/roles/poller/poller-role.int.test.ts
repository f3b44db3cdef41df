import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import {
  CURRENT_SCHEMA_VERSION,
  DeviceProfile,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  systemClock,
} from '@netpulse/domain';
import { type Logger, parsePollerConfig, silentLogger } from '@netpulse/pollers';
import {
  detectBackend,
  detectPostgres,
  dropSchema,
  testDatabaseUrl,
  uniqueSchemaName,
} from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PostgresRelay, startPostgresRelay } from '../../event-store/testing/postgres-relay.js';
import { createPostgresEventStore } from '../../index.js';
import { seedDemoFleet } from './demo-fleet.js';
import { type PollerRole, startPollerRole } from './start-poller-role.js';

const run = promisify(execFile);
const postgres = await detectPostgres();
const ping = await detectBackend('system ping (iputils-ping)', () =>
  run('ping', ['-n', '-c', '1', '-W', '1', '127.0.0.1']),
);
const snmptrap = await detectBackend('snmptrap (Debian package snmp)', () => run('snmptrap', ['--version']));

const ORG = 'org-poller-it';
const COMMUNITY = 'poller-role-community';

const freeUdpPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });

const until = async (condition: () => Promise<boolean>, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const deviceEvent = (type: string, data: Record<string, unknown>): EventToAppend => {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    metadata: {
      organizationId: ORG,
      actor: { kind: 'user', id: 'it' },
      correlationId: id,
      causationId: id,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  };
};

/** Stands in for the command side: appends a DeviceRegistered the way its handler would. */
const register = (store: EventStore, deviceId: string, profile: Record<string, unknown>) =>
  store.appendToStream(
    `device-${deviceId}`,
    [
      deviceEvent('DeviceRegistered', {
        ...DeviceProfile.parse({
          name: deviceId,
          address: '127.0.0.1',
          kind: 'server',
          location: null,
          tags: [],
          parentId: null,
          ...profile,
        }),
        deviceId,
        registeredAt: new Date().toISOString(),
      }),
    ],
    { expectedVersion: 'no-stream' },
  );

const stream = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> =>
  (await store.readStream(streamId)).events as RecordedEvent[];

const observationsOf = async (store: EventStore, deviceId: string, type = 'DeviceObserved') =>
  (await stream(store, `observations-${deviceId}`)).filter((event) => event.type === type);

describe.skipIf(!postgres.available || !ping.available)('poller role on the PostgreSQL event store', () => {
  const schema = uniqueSchemaName('poller');
  let store: EventStore;
  let role: PollerRole | undefined;
  let server: Server;
  let apiPort = 0;
  let trapPort = 0;
  /** The store reaches PostgreSQL through it: outages and lost acknowledgements are real ones. */
  let relay: PostgresRelay | undefined;
  let appendCalls = () => 0;

  beforeAll(async () => {
    relay = await startPostgresRelay(testDatabaseUrl());
    const real = await createPostgresEventStore({ connectionString: relay.connectionString, schema });
    // A spy, not a stand-in: every call still goes to the real store.
    const appendMany = vi.spyOn(real, 'appendMany');
    appendCalls = () => appendMany.mock.calls.length;
    store = real;
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiPort = (server.address() as { port: number }).port;
    trapPort = await freeUdpPort();
  });

  afterAll(async () => {
    await role?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
    await relay?.close();
    await dropSchema(schema);
  });

  it('starts, and seeds a demo fleet on an empty store (only then) that is probed at once', async () => {
    role = await startPollerRole({
      store,
      clock: systemClock,
      logger: silentLogger,
      registry: new Registry(),
      config: parsePollerConfig({
        pollerId: 'poller-pg',
        traps: { port: trapPort, address: '127.0.0.1' },
        buffer: { flushIntervalMs: 50, maxBackoffMs: 500 },
        credentials: { lab: { version: 'v2c', community: COMMUNITY } },
      }),
    });
    const logLines: string[] = [];
    const logger: Logger = { ...silentLogger, info: (_obj, msg) => logLines.push(msg ?? '') };
    const registerDevice = ({ deviceId, profile }: { deviceId: string; profile: Record<string, unknown> }) =>
      register(store, deviceId, profile);
    const seeded = await seedDemoFleet({
      store,
      registerDevice,
      logger,
      force: false,
      apiPort,
      snmpPort: await freeUdpPort(),
    });
    expect(seeded.registered).toEqual(['demo-loopback', 'demo-netpulse-api']);
    expect(logLines.some((line) => line.includes('registered 2 loopback devices'))).toBe(true);
    expect(await seedDemoFleet({ store, registerDevice, logger, force: false, apiPort })).toEqual({
      registered: [],
      skipped: 'devices are registered already',
    });
    // --demo on a fleet that has them: nothing doubles.
    const again = await seedDemoFleet({
      store,
      registerDevice,
      logger,
      force: true,
      apiPort,
      snmpPort: await freeUdpPort(),
    });
    expect(again.registered).toEqual([]);

    // Registered after the poller started: probed within seconds, not at the next 30 s phase.
    await until(
      async () => (await observationsOf(store, 'demo-netpulse-api')).length > 0,
      10_000,
      'the demo TCP observation',
    );
    const [tcp] = await observationsOf(store, 'demo-netpulse-api');
    expect(tcp!.data).toMatchObject({
      probe: 'tcp',
      reachable: true,
      tcp: { port: apiPort, outcome: 'open' },
    });
    expect(tcp!.metadata).toMatchObject({
      organizationId: ORG,
      actor: { kind: 'poller', id: 'poller-pg' },
      schemaVersion: 1,
    });
    await until(
      async () => (await observationsOf(store, 'demo-loopback')).length > 0,
      10_000,
      'the demo ICMP observation',
    );
    expect((await observationsOf(store, 'demo-loopback'))[0]!.data).toMatchObject({
      probe: 'icmp',
      reachable: true,
    });
  });

  it('follows registrations, pauses and decommissions live', async () => {
    await register(store, 'live-1', { address: '127.0.0.2', probes: { icmp: { intervalSeconds: 5 } } });
    await until(
      async () => (await observationsOf(store, 'live-1')).length > 0,
      10_000,
      'the live device observation',
    );
    expect((await observationsOf(store, 'live-1'))[0]!.data).toMatchObject({
      probe: 'icmp',
      reachable: true,
      icmp: { received: 3 },
    });

    // Paused, then decommissioned: no more observations.
    await store.appendToStream(
      'device-live-1',
      [
        deviceEvent('DeviceMonitoringPaused', {
          deviceId: 'live-1',
          reason: 'it',
          pausedAt: new Date().toISOString(),
        }),
      ],
      {
        expectedVersion: 'any',
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const paused = (await observationsOf(store, 'live-1')).length;
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await observationsOf(store, 'live-1')).length).toBe(paused);

    await register(store, 'live-2', {
      address: '127.0.0.3',
      probes: { icmp: { enabled: false }, tcp: { ports: [apiPort], intervalSeconds: 5 } },
    });
    await until(
      async () => (await observationsOf(store, 'live-2')).length > 0,
      10_000,
      'the second live device',
    );
    await store.appendToStream(
      'device-live-2',
      [
        deviceEvent('DeviceDecommissioned', {
          deviceId: 'live-2',
          reason: 'it',
          decommissionedAt: new Date().toISOString(),
        }),
      ],
      { expectedVersion: 'any' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const gone = (await observationsOf(store, 'live-2')).length;
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await observationsOf(store, 'live-2')).length).toBe(gone);
  });

  it('keeps observations through a store outage and stores each once, even when an acknowledgement was lost', async () => {
    await register(store, 'outage', {
      address: '127.0.0.4',
      probes: { icmp: { enabled: false }, tcp: { ports: [apiPort], intervalSeconds: 5 } },
    });
    await until(
      async () => (await observationsOf(store, 'outage')).length > 0,
      10_000,
      'a first observation',
    );
    // The database becomes unreachable: connections cut, the port refusing.
    await relay!.down();
    const callsAtOutage = appendCalls();
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(appendCalls()).toBeGreaterThan(callsAtOutage);
    expect(role!.status().bufferDepth).toBeGreaterThan(0);
    // Back, but the first commits are acknowledged to nobody: stored, yet the connection drops.
    await relay!.loseAcks();
    const callsAtAckLost = appendCalls();
    await until(
      async () => appendCalls() > callsAtAckLost && relay!.acksLost > 0,
      10_000,
      'an append whose acknowledgement is lost',
    );
    await relay!.up();
    await until(async () => role!.status().bufferDepth === 0, 10_000, 'the buffer to drain');
    const stored = await observationsOf(store, 'outage');
    const slots = stored.map((event) => (event.data as { scheduledAt: string }).scheduledAt);
    expect(new Set(slots).size).toBe(slots.length);
    expect(new Set(stored.map((event) => event.id)).size).toBe(stored.length);
    // Every 5 s slot across the outage made it in (within the test's timing slack).
    const times = slots.map((slot) => Date.parse(slot)).sort((a, b) => a - b);
    const gaps = times.slice(1).map((time, i) => time - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5_000);
  });

  it.skipIf(!snmptrap.available)(
    'records a trap sent with snmptrap as TrapReceived on the device stream',
    async () => {
      await run(
        'snmptrap',
        [
          '-v',
          '2c',
          '-c',
          COMMUNITY,
          `127.0.0.1:${trapPort}`,
          '',
          '1.3.6.1.6.3.1.1.5.4',
          '1.3.6.1.2.1.2.2.1.1.3',
          'i',
          '3',
        ],
        {
          env: { ...process.env, MIBS: '' },
        },
      );
      // 127.0.0.1 belongs to the first device registered with it (demo-loopback).
      await until(
        async () => (await observationsOf(store, 'demo-loopback', 'TrapReceived')).length > 0,
        10_000,
        'the TrapReceived event',
      );
      const [trap] = await observationsOf(store, 'demo-loopback', 'TrapReceived');
      expect(trap!.data).toMatchObject({
        deviceId: 'demo-loopback',
        version: 'v2c',
        trapOid: '1.3.6.1.6.3.1.1.5.4',
        sourceAddress: '127.0.0.1',
      });
      expect(
        JSON.stringify(trap, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
      ).not.toContain(COMMUNITY);
    },
  );
});
