import { randomBytes, randomUUID } from 'node:crypto';
import { createCommandBus } from '@netpulse/commands';
import type { EventStore } from '@netpulse/domain';
import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../index.js';
import {
  createTestDeployment,
  type NetPulseProcess,
  startNetPulse,
  type TestDeployment,
} from '../../testing/netpulse-process.js';
import { listenForProbes, type ProbeTarget } from '../../testing/probe-target.js';
import {
  deleteTopicsWithPrefix,
  detectKafka,
  kafkaBrokers,
  uniqueTopicPrefix,
} from '../testing/kafka-fixture.js';

const postgres = await detectPostgres();
const kafka = await detectKafka();

const DEVICES = 12;
const INTERVAL_MS = 5_000;
/** The lowest session timeout a broker accepts by default (group.min.session.timeout.ms). */
const SESSION_TIMEOUT_MS = 6_000;
const HEARTBEAT_MS = SESSION_TIMEOUT_MS / 3;

const metric = async (poller: NetPulseProcess, name: string): Promise<number> => {
  const text = await (await fetch(`${poller.url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Observation = { pollerId: string; observedAt: number };

const observations = async (store: EventStore, deviceId: string): Promise<Observation[]> =>
  (await store.readStream(`observations-${deviceId}`)).events
    .filter((event) => event.type === 'DeviceObserved')
    .map((event) => {
      const data = event.data as { pollerId: string; observedAt: string };
      return { pollerId: data.pollerId, observedAt: Date.parse(data.observedAt) };
    });

describe.skipIf(!postgres.available || !kafka.available)(
  'replicated pollers share the fleet through Kafka',
  () => {
    const prefix = uniqueTopicPrefix('pollers');
    const groupId = `it-pollers-${randomBytes(4).toString('hex')}`;
    let deployment: TestDeployment;
    let store: EventStore;
    let targets: ProbeTarget[] = [];
    const pollers = new Map<string, NetPulseProcess>();

    const startPoller = async (pollerId: string) => {
      const started = await startNetPulse(deployment, {
        command: 'poller',
        env: {
          LOG_LEVEL: 'info',
          NETPULSE_POLLER_ID: pollerId,
          NETPULSE_TRAPS_ENABLED: 'false',
          KAFKA_BROKERS: kafkaBrokers().join(','),
          KAFKA_TOPIC_PREFIX: prefix,
          KAFKA_POLLER_GROUP: groupId,
          KAFKA_POLL_TARGET_PARTITIONS: '12',
          KAFKA_POLLER_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
        },
      });
      pollers.set(pollerId, started);
      return started;
    };

    beforeAll(async () => {
      deployment = createTestDeployment('pgroup');
      targets = await Promise.all(Array.from({ length: DEVICES }, (_, i) => listenForProbes(`shared-${i}`)));
      await startPoller('poller-a');
      await startPoller('poller-b');
      store = await createPostgresEventStore({
        connectionString: testDatabaseUrl(),
        schema: deployment.eventStoreSchema,
      });
      // Registered through the write side, as an operator would: the pollers pick them up live.
      const bus = createCommandBus({ store, locateAlert: async () => null });
      for (const target of targets) {
        await bus.execute(
          {
            type: 'RegisterDevice',
            data: {
              deviceId: target.deviceId,
              name: target.deviceId,
              address: '127.0.0.1',
              kind: 'server',
              probes: {
                icmp: { enabled: false },
                tcp: { ports: [target.port], intervalSeconds: INTERVAL_MS / 1000, timeoutMs: 1_000 },
              },
            },
          },
          {
            commandId: randomUUID(),
            now: new Date(),
            organizationId: deployment.organizationId,
            actor: { kind: 'user', id: 'poller-group-it' },
          },
        );
      }
    }, 180_000);

    afterAll(async () => {
      for (const poller of pollers.values()) await poller.stop('SIGKILL').catch(() => undefined);
      await Promise.all(targets.map((target) => new Promise((resolve) => target.server.close(resolve))));
      await store?.close();
      await deployment?.dispose();
      if (kafka.available) await deleteTopicsWithPrefix(prefix);
    });

    it('probes each device from exactly one poller while both run', async () => {
      const [a, b] = [pollers.get('poller-a')!, pollers.get('poller-b')!];
      const shared = async () => [
        await metric(a, 'netpulse_poller_owned_devices'),
        await metric(b, 'netpulse_poller_owned_devices'),
      ];
      await expect
        .poll(
          async () => {
            const [ofA, ofB] = await shared();
            return ofA! > 0 && ofB! > 0 && ofA! + ofB! === DEVICES;
          },
          { timeout: 60_000, interval: 250 },
        )
        .toBe(true);
      const [ownedByA, ownedByB] = await shared();
      // Settle past the hand-over of the last rebalance, then watch three probe intervals.
      await sleep(INTERVAL_MS + 2_500);
      const from = Date.now();
      await sleep(3 * INTERVAL_MS);
      const to = Date.now();

      const perDevice = await Promise.all(
        targets.map(async (target) => {
          const seen = (await observations(store, target.deviceId)).filter(
            (o) => o.observedAt >= from && o.observedAt < to,
          );
          return {
            deviceId: target.deviceId,
            connections: target.hits.filter((at) => at >= from && at < to).length,
            pollers: new Set(seen.map((o) => o.pollerId)),
          };
        }),
      );
      console.info(
        `[poller-group] owned devices: poller-a ${ownedByA}, poller-b ${ownedByB}; probes per device in ${to - from} ms:`,
        perDevice
          .map((device) => `${device.deviceId}=${device.connections}(${[...device.pollers].join('+')})`)
          .join(' '),
      );
      for (const device of perDevice) {
        // One poller: 3 probes in 3 intervals (±1 at the window's edges); two would make about 6.
        expect(device.connections, device.deviceId).toBeGreaterThanOrEqual(2);
        expect(device.connections, device.deviceId).toBeLessThanOrEqual(4);
        expect(device.pollers.size, device.deviceId).toBe(1);
      }
      const owners = new Set(perDevice.flatMap((device) => [...device.pollers]));
      expect(owners).toEqual(new Set(['poller-a', 'poller-b']));
      expect(perDevice.filter((device) => device.pollers.has('poller-a'))).toHaveLength(ownedByA!);
    }, 120_000);

    it('after a poller is killed, the other probes all its devices within the session timeout', async () => {
      const [a, b] = [pollers.get('poller-a')!, pollers.get('poller-b')!];
      const rebalancesBefore = await metric(a, 'netpulse_poller_rebalances_total');
      const ofB = new Set<string>();
      const since = Date.now() - 2 * INTERVAL_MS;
      for (const target of targets) {
        const recent = (await observations(store, target.deviceId)).filter((o) => o.observedAt >= since);
        if (recent.some((o) => o.pollerId === 'poller-b')) ofB.add(target.deviceId);
      }
      expect(ofB.size).toBeGreaterThan(0);

      const killedAt = Date.now();
      await b.stop('SIGKILL');
      pollers.delete('poller-b');
      // Every connection from here on comes from poller-a, the only poller left.
      const bound = SESSION_TIMEOUT_MS + INTERVAL_MS;
      await sleep(bound + 3 * HEARTBEAT_MS);
      const firstAfterKill = targets.map((target) => ({
        deviceId: target.deviceId,
        ofB: ofB.has(target.deviceId),
        afterMs: (target.hits.find((at) => at > killedAt) ?? Number.POSITIVE_INFINITY) - killedAt,
      }));
      const takeOver = Math.max(...firstAfterKill.filter((d) => d.ofB).map((d) => d.afterMs));
      console.info(
        `[poller-group] SIGKILL poller-b (owned ${ofB.size} of ${DEVICES}); first probe after the kill, ms:`,
        firstAfterKill.map((d) => `${d.deviceId}${d.ofB ? '*' : ''}=${d.afterMs}`).join(' '),
        `; slowest take-over ${takeOver} ms (session timeout ${SESSION_TIMEOUT_MS}, interval ${INTERVAL_MS})`,
      );
      for (const device of firstAfterKill) {
        // Session timeout + one probe interval, plus what the group protocol needs to notice and
        // re-assign: the survivor hears of the rebalance at its next heartbeat.
        expect(device.afterMs, device.deviceId).toBeLessThanOrEqual(bound + HEARTBEAT_MS + 1_000);
      }
      expect(await metric(a, 'netpulse_poller_owned_devices')).toBe(DEVICES);
      expect(await metric(a, 'netpulse_poller_owned_partitions')).toBe(12);
      expect(await metric(a, 'netpulse_poller_rebalances_total')).toBeGreaterThan(rebalancesBefore);

      // Steady again: one poller, each device once per interval.
      const from = Date.now();
      await sleep(2 * INTERVAL_MS);
      const to = Date.now();
      for (const target of targets) {
        const count = target.hits.filter((at) => at >= from && at < to).length;
        expect(count, target.deviceId).toBeGreaterThanOrEqual(1);
        expect(count, target.deviceId).toBeLessThanOrEqual(3);
      }
      expect(a.output()).toContain('poller group: partitions assigned');
    }, 120_000);
  },
);
