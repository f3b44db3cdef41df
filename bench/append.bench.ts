/**
 * Event store write throughput against the PostgreSQL service:
 *  - batched DeviceObserved appends (4 writers, batches of 100 across device streams);
 *  - load → decide → append commands on device streams through the command bus.
 * Options: --seconds N (per phase, default 10), --writers N (default 4), --batch N (default 100),
 * --devices N (registered devices the commands pick from, default 1,000: each has a device stream, so
 * this sets how many stream heads an append finds its own among).
 */
import { randomUUID } from 'node:crypto';
import { createCommandBus } from '@netpulse/commands';
import { type DeviceObserved, deterministicId, type EventToAppend, streamId } from '@netpulse/domain';
import { PostgresEventStore } from '@netpulse/infra';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { option } from './options.ts';
import { printResult } from './result-line.ts';

const observation = (deviceId: string, at: Date, n: number): EventToAppend<DeviceObserved> => ({
  id: deterministicId('bench-poller', deviceId, 'icmp', at.toISOString(), n),
  type: 'DeviceObserved',
  data: {
    deviceId,
    pollerId: 'bench-poller',
    probe: 'icmp',
    scheduledAt: at.toISOString(),
    observedAt: at.toISOString(),
    durationMs: 12.5,
    reachable: true,
    error: null,
    icmp: {
      sent: 3,
      received: 3,
      lossPct: 0,
      rttMinMs: 0.04,
      rttAvgMs: 0.05,
      rttMaxMs: 0.07,
      jitterMs: 0.01,
    },
    tcp: null,
    snmp: null,
  },
  metadata: {
    organizationId: 'org-bench',
    actor: { kind: 'poller', id: 'bench-poller' },
    correlationId: deviceId,
    causationId: deviceId,
    schemaVersion: 1,
  },
});

const runFor = async (seconds: number, workers: number, work: (worker: number) => Promise<number>) => {
  const deadline = performance.now() + seconds * 1_000;
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      let done = 0;
      while (performance.now() < deadline) done += await work(worker);
      return done;
    }),
  );
  const elapsed = (performance.now() - started) / 1_000;
  const total = counts.reduce((a, b) => a + b, 0);
  return { total, elapsed, perSecond: total / elapsed };
};

export const main = async (args: string[]): Promise<void> => {
  const seconds = option(args, 'seconds', 10);
  const writers = option(args, 'writers', 4);
  const batch = option(args, 'batch', 100);
  const deviceCount = option(args, 'devices', 1_000);
  const schema = uniqueSchemaName('bench_append');
  const store = await PostgresEventStore.connect({
    connectionString: process.env.BENCH_DATABASE_URL ?? testDatabaseUrl(),
    schema,
    poolSize: writers * 2,
  });
  try {
    // Phase 1: a poller's batches, each batch spread over 100 device observation streams.
    const devicesPerWriter = 100;
    let tick = 0;
    const appends = await runFor(seconds, writers, async (writer) => {
      const at = new Date(Date.now() + tick++);
      await store.appendMany(
        Array.from({ length: batch }, (_, n) => {
          const deviceId = `dev-${writer}-${n % devicesPerWriter}`;
          return {
            streamId: streamId('observations', deviceId),
            expectedVersion: 'any' as const,
            events: [observation(deviceId, at, n)],
          };
        }),
      );
      return batch;
    });
    console.error(`append: ${appends.total} events in ${appends.elapsed.toFixed(1)} s`);

    // Phase 2: commands, each loading its device's stream, deciding and appending with its version.
    const bus = createCommandBus({ store, locateAlert: async () => null });
    const devices = Array.from({ length: deviceCount }, () => randomUUID());
    const meta = () => ({
      commandId: randomUUID(),
      now: new Date(),
      organizationId: 'org-bench',
      actor: { kind: 'system' as const, id: 'bench' },
    });
    for (let i = 0; i < devices.length; i += 50) {
      await Promise.all(
        devices.slice(i, i + 50).map((deviceId) =>
          bus.execute(
            {
              type: 'RegisterDevice',
              data: { deviceId, name: deviceId, address: '127.0.0.1', kind: 'server' },
            },
            meta(),
          ),
        ),
      );
    }
    const statusOf = new Map<string, 'up' | 'down'>();
    let next = 0;
    const commands = await runFor(seconds, writers, async () => {
      const deviceId = devices[next++ % devices.length]!;
      const to = statusOf.get(deviceId) === 'up' ? 'down' : 'up';
      statusOf.set(deviceId, to);
      await bus.execute({ type: 'ChangeDeviceStatus', data: { deviceId, to, reason: 'bench' } }, meta());
      return 1;
    });
    console.error(`commands: ${commands.total} in ${commands.elapsed.toFixed(1)} s`);

    printResult({
      name: 'append',
      value: Math.round(appends.perSecond),
      unit: 'events/s',
      commandsPerSec: Math.round(commands.perSecond),
      writers,
      batchSize: batch,
      seconds,
      events: appends.total,
      commands: commands.total,
      devices: deviceCount,
    });
  } finally {
    await store.close();
    await dropSchema(schema);
  }
};
