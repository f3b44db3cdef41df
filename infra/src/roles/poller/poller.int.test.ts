import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import {
  type Checkpoint,
  type DeviceObserved,
  type RecordedEvent,
  START,
  systemClock,
  type TrapReceived,
} from '@netpulse/domain';
import {
  createPoller,
  freeUdpPort,
  type Poller,
  parsePollerConfig,
  startSnmpd,
  type TestSnmpd,
} from '@netpulse/pollers';
import {
  detectBackend,
  detectPostgres,
  dropSchema,
  testDatabaseUrl,
  uniqueSchemaName,
} from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store.js';
import { captureLogger } from './testing/capture-logger.js';
import { deviceEvents } from './testing/device-events.js';

const run = promisify(execFile);
const postgres = await detectPostgres();
let agent: TestSnmpd | undefined;
const snmpd = await detectBackend('snmpd (Debian package snmpd)', async () => {
  agent = await startSnmpd({ community: 'poller-it-community' });
});
const ping = await detectBackend('system ping (iputils-ping)', () =>
  run('ping', ['-n', '-c', '1', '-W', '1', '127.0.0.1']),
);
const snmptrap = await detectBackend('snmptrap (Debian package snmp)', () => run('snmptrap', ['--version']));

const until = async (condition: () => Promise<boolean>, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

type Observed = DeviceObserved['data'];

/**
 * The poller (`createPoller`) end to end on the PostgreSQL event store: device events in, DeviceObserved
 * and TrapReceived out, probing a real snmpd, ping and a TCP listener on loopback. The role around it
 * (demo fleet, outages) is poller-role.int.test.ts.
 */
describe.skipIf(!postgres.available || !snmpd.available || !ping.available || !snmptrap.available)(
  'poller on the PostgreSQL event store',
  () => {
    const schema = uniqueSchemaName('poller_it');
    let store: PostgresEventStore;
    const logger = captureLogger();
    const registry = new Registry();
    let poller: Poller | undefined;
    let server: Server;
    let openPort = 0;
    let trapPort = 0;
    let devices: ReturnType<typeof deviceEvents>;
    const stream = async (streamId: string): Promise<RecordedEvent[]> =>
      (await store.readStream(streamId)).events as RecordedEvent[];
    const observations = async (deviceId: string, probe?: string): Promise<Observed[]> =>
      (await stream(`observations-${deviceId}`))
        .filter((event) => event.type === 'DeviceObserved')
        .map((event) => event.data as Observed)
        .filter((data) => !probe || data.probe === probe);
    /** Every event in the schema, in global order. */
    const allEvents = async (): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      let after: Checkpoint = START;
      for (;;) {
        const page = await store.readAll({ after, limit: 1_000 });
        events.push(...page.events);
        after = page.checkpoint;
        if (page.caughtUp) return events;
      }
    };

    beforeAll(async () => {
      store = await PostgresEventStore.connect({ connectionString: testDatabaseUrl(), schema });
      devices = deviceEvents(store, 'org-it');
      server = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      openPort = (server.address() as { port: number }).port;
      trapPort = await freeUdpPort();
      // Registered before the poller starts: picked up by the initial replay.
      await devices.register('loop', { probes: { icmp: { intervalSeconds: 5 } } });
      await devices.register('paused', { address: '127.0.0.3', probes: { icmp: { intervalSeconds: 5 } } });
      await devices.pause('paused');
      poller = createPoller({
        store,
        clock: systemClock,
        logger,
        registry,
        config: parsePollerConfig({
          pollerId: 'poller-it',
          traps: { port: trapPort, address: '127.0.0.1' },
          buffer: { flushIntervalMs: 50 },
          credentials: {
            agent: { version: 'v2c', community: agent!.community },
            agentv3: {
              version: 'v3',
              user: agent!.v3.user,
              authKey: agent!.v3.authKey,
              privKey: agent!.v3.privKey,
            },
          },
        }),
      });
      await poller.start();
    });

    afterAll(async () => {
      await poller?.stop();
      await new Promise((resolve) => server?.close(resolve));
      await agent?.stop();
      await store?.close();
      await dropSchema(schema);
    });

    it('probes a device registered before start, and never a paused one', async () => {
      await until(
        async () => (await observations('loop', 'icmp')).length >= 1,
        10_000,
        'an ICMP observation',
      );
      const [first] = await observations('loop', 'icmp');
      expect(first).toMatchObject({ deviceId: 'loop', pollerId: 'poller-it', reachable: true, error: null });
      expect(first!.icmp).toMatchObject({ sent: 3, received: 3, lossPct: 0 });
      const event = (await stream('observations-loop'))[0]!;
      expect(event.metadata).toMatchObject({
        organizationId: 'org-it',
        actor: { kind: 'poller', id: 'poller-it' },
      });
      expect(await observations('paused')).toHaveLength(0);
    });

    it('picks up devices registered, changed and decommissioned while running', async () => {
      await devices.register('svc', {
        probes: { icmp: { enabled: false }, tcp: { ports: [openPort], intervalSeconds: 5 } },
      });
      await devices.register('agent', {
        probes: {
          icmp: { enabled: false },
          snmp: { version: 'v2c', port: agent!.port, credentialRef: 'agent', intervalSeconds: 10 },
        },
      });
      await until(async () => (await observations('svc', 'tcp')).length >= 1, 8_000, 'a TCP observation');
      expect((await observations('svc', 'tcp'))[0]!.tcp).toMatchObject({ port: openPort, outcome: 'open' });
      await until(
        async () => (await observations('agent', 'snmp')).length >= 1,
        8_000,
        'an SNMP observation',
      );
      expect((await observations('agent', 'snmp'))[0]?.snmp?.sysName).toBe(agent!.sysName);

      // Switch the agent to v3: the change is applied live.
      await devices.update('agent', {
        probes: {
          icmp: { enabled: false, intervalSeconds: 30, packets: 3, timeoutMs: 2_000 },
          snmp: {
            version: 'v3',
            port: agent!.port,
            credentialRef: 'agentv3',
            intervalSeconds: 10,
            timeoutMs: 2_000,
          },
          tcp: null,
        },
      });
      const before = (await observations('agent', 'snmp')).length;
      await until(
        async () => (await observations('agent', 'snmp')).length > before,
        15_000,
        'a v3 SNMP observation',
      );
      expect((await observations('agent', 'snmp')).at(-1)).toMatchObject({ reachable: true, error: null });

      await devices.decommission('svc');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const frozen = (await observations('svc')).length;
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect((await observations('svc')).length).toBe(frozen);
    });

    it('records a trap from a device on its stream, and one from an unknown address on traps-unknown', async () => {
      await run(
        'snmptrap',
        ['-v', '2c', '-c', agent!.community, `127.0.0.1:${trapPort}`, '', '1.3.6.1.6.3.1.1.5.3'],
        {
          env: { ...process.env, MIBS: '' },
        },
      );
      await until(
        async () => (await stream('observations-loop')).some((event) => event.type === 'TrapReceived'),
        5_000,
        'the device trap',
      );
      const trap = (await stream('observations-loop')).find((event) => event.type === 'TrapReceived')!;
      expect(trap.data as TrapReceived['data']).toMatchObject({
        deviceId: 'loop',
        sourceAddress: '127.0.0.1',
        version: 'v2c',
        trapOid: '1.3.6.1.6.3.1.1.5.3',
      });

      // From 127.0.0.9, which no device has: still recorded.
      await run(
        'snmptrap',
        [
          '-v',
          '2c',
          '-c',
          agent!.community,
          '--clientaddr=127.0.0.9',
          `127.0.0.1:${trapPort}`,
          '',
          '1.3.6.1.4.1.8072.2.3.0.1',
        ],
        { env: { ...process.env, MIBS: '' } },
      );
      await until(async () => (await stream('traps-unknown')).length > 0, 5_000, 'the unknown-sender trap');
      const [unknown] = await stream('traps-unknown');
      expect(unknown!.data).toMatchObject({
        deviceId: null,
        sourceAddress: '127.0.0.9',
        trapOid: '1.3.6.1.4.1.8072.2.3.0.1',
      });
      expect(unknown!.metadata.organizationId).toBe('org-it');
    });

    it('exposes metrics and never logs or stores a secret', async () => {
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/netpulse_poller_probes_total\{probe="icmp",result="ok"\} \d+/);
      expect(metrics).toMatch(/netpulse_poller_probe_duration_seconds_bucket/);
      expect(metrics).toMatch(/netpulse_poller_buffer_depth \d+/);
      expect(metrics).toMatch(/netpulse_poller_observations_dropped_total/);
      const everything =
        JSON.stringify(await allEvents(), (_key, value) =>
          typeof value === 'bigint' ? String(value) : value,
        ) +
        logger.text() +
        metrics;
      for (const secret of [agent!.community, agent!.v3.authKey, agent!.v3.privKey]) {
        expect(everything).not.toContain(secret);
      }
      expect(poller!.status()).toMatchObject({ pollerId: 'poller-it', icmpMode: 'ping' });
    });
  },
);
