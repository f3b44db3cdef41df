/**
 * `npm run bench -- poll [--sizes 1000,2500,5000,10000] [--interval 30] [--window 30] [--quick]`
 *
 * What the poller costs at fleet scale, probing loopback addresses only (127.0.0.0/8 all answer):
 *  1. one ICMP probe as its own `ping` process (the `ping` package): CPU per probe;
 *  2. the full poller (scheduler, fping batches, observation events, emitter) for fleets of 1k..10k
 *     devices at a 30 s ICMP interval on the PostgreSQL event store (BENCH_DATABASE_URL, else
 *     TEST_DATABASE_URL; a fresh schema per fleet size, dropped after it): the fleet is registered
 *     as DeviceRegistered events, the poller replays them and appends every observation. Sustained
 *     probes/s and CPU per probe: the poller process (probing, events, the store client's append
 *     work) plus its ping/fping children. PostgreSQL's own CPU is reported apart, when it runs here;
 *  3. full SNMP polls (system group, IF-MIB, HOST-RESOURCES) against a local snmpd.
 * Prints a table as it goes and, last, one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, type StreamAppend, systemClock } from '@netpulse/domain';
import { PostgresEventStore, quoteIdent } from '@netpulse/infra';
import {
  CredentialStore,
  createPoller,
  Limiter,
  type Poller,
  parsePollerConfig,
  pingProbe,
  SnmpProber,
  silentLogger,
  startSnmpd,
} from '@netpulse/pollers';
import { testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { Registry } from 'prom-client';
import { postgresCpuMs } from './backend-cpu.ts';
import { processCpu } from './process-cpu.ts';
import { printResult } from './result-line.ts';

/** CPU of this process and of its reaped children (ping, fping), in ms. /proc counts in USER_HZ (100). */
const cpuMs = (): number => {
  const cpu = processCpu('self');
  return cpu ? 1_000 * (cpu.ownSeconds + cpu.childrenSeconds) : Number.NaN;
};
const childCpuMs = (): number => 1_000 * (processCpu('self')?.childrenSeconds ?? Number.NaN);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 127.1.0.1, 127.1.0.2, … : distinct loopback addresses, all answering. */
const loopbackAddress = (i: number): string =>
  `127.${1 + Math.floor(i / 65_024)}.${Math.floor((i % 65_024) / 254)}.${(i % 254) + 1}`;

type Args = {
  sizes: number[];
  interval: number;
  window: number;
  pingSamples: number;
  snmpSeconds: number;
  /** Overrides NETPULSE_FPING_THRESHOLD (e.g. a huge value measures the one-ping-per-probe path). */
  fpingThreshold: number | undefined;
};

const parseArgs = (args: string[]): Args => {
  const value = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const interval = Number(value('interval') ?? 30);
  return {
    sizes: (value('sizes') ?? (quick ? '1000,10000' : '1000,2500,5000,10000')).split(',').map(Number),
    interval,
    window: Number(value('window') ?? (quick ? 15 : interval)),
    pingSamples: Number(value('ping-samples') ?? (quick ? 150 : 400)),
    snmpSeconds: Number(value('snmp-seconds') ?? (quick ? 5 : 10)),
    fpingThreshold: value('fping-threshold') === undefined ? undefined : Number(value('fping-threshold')),
  };
};

/** The fleet as the command side would have registered it: one DeviceRegistered per device stream. */
const fleet = (size: number, intervalSeconds: number): StreamAppend[] =>
  Array.from({ length: size }, (_, i) => {
    const id = randomUUID();
    return {
      streamId: `device-bench-${i}`,
      expectedVersion: 'no-stream' as const,
      events: [
        {
          id,
          type: 'DeviceRegistered',
          data: {
            deviceId: `bench-${i}`,
            name: `bench-${i}`,
            address: loopbackAddress(i),
            kind: 'server',
            location: null,
            tags: [],
            parentId: null,
            probes: {
              icmp: { enabled: true, intervalSeconds, packets: 3, timeoutMs: 1_000 },
              snmp: null,
              tcp: null,
            },
            registeredAt: new Date().toISOString(),
          },
          metadata: {
            organizationId: 'bench',
            actor: { kind: 'system' as const, id: 'bench' },
            correlationId: id,
            causationId: id,
            schemaVersion: CURRENT_SCHEMA_VERSION,
          },
        },
      ],
    };
  });

const metricSum = async (registry: Registry, name: string): Promise<number> => {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  return (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);
};

/** 1. One `ping` process per probe. */
const measurePingProcess = async (samples: number) => {
  const limiter = new Limiter(32);
  const cpu0 = cpuMs();
  const start = performance.now();
  let ok = 0;
  await Promise.all(
    Array.from({ length: samples }, (_, i) =>
      limiter.run(async () => {
        const outcome = await pingProbe(loopbackAddress(i), { packets: 3, timeoutMs: 1_000 });
        if (outcome.reachable) ok += 1;
      }),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuMs() - cpu0;
  return { samples, ok, cpuMsPerProbe: cpu / samples, maxProbesPerSecAt32: samples / seconds };
};

type Row = {
  targets: number;
  mode: string;
  expectedPerSec: number;
  probesPerSec: number;
  cpuMsPerProbe: number;
  childCpuShare: number;
  cores: number;
  /** PostgreSQL's own CPU per probe (every server process here), null when not measurable. */
  postgresCpuMsPerProbe: number | null;
  failed: number;
  skipped: number;
  rssMiB: number;
  /** Probes run over the whole run (warm-up included), and observations found in the store after it. */
  probesRun: number;
  stored: number;
  appendFailures: number;
  dropped: number;
};

const databaseUrl = (): string => process.env.BENCH_DATABASE_URL ?? testDatabaseUrl();

/** 2. The whole poller on a fleet of `size` loopback devices, on the PostgreSQL event store. */
const measureFleet = async (
  size: number,
  interval: number,
  windowSeconds: number,
  fpingThreshold: number | undefined,
): Promise<Row> => {
  const schema = uniqueSchemaName('bench_poll');
  const store = await PostgresEventStore.connect({ connectionString: databaseUrl(), schema });
  let poller: Poller | undefined;
  try {
    const devices = fleet(size, interval);
    for (let i = 0; i < devices.length; i += 1_000) await store.appendMany(devices.slice(i, i + 1_000));
    const registry = new Registry();
    poller = createPoller({
      store,
      clock: systemClock,
      logger: silentLogger,
      registry,
      config: parsePollerConfig({
        pollerId: 'bench',
        traps: { enabled: false },
        buffer: { capacity: 100_000 },
        ...(fpingThreshold !== undefined && { icmp: { fpingThreshold } }),
      }),
    });
    await poller.start();
    // The fleet is replayed from the store; then let the first batches form and the runtime warm up.
    const loadedBy = Date.now() + 60_000;
    while (poller.status().devices < size && Date.now() < loadedBy) await sleep(100);
    if (poller.status().devices < size) throw new Error(`only ${poller.status().devices} devices loaded`);
    await sleep(3_000);
    const probes0 = await metricSum(registry, 'netpulse_poller_probes_total');
    const cpu0 = cpuMs();
    const child0 = childCpuMs();
    const pg0 = postgresCpuMs(databaseUrl());
    const start = performance.now();
    await sleep(windowSeconds * 1000);
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuMs() - cpu0;
    const child = childCpuMs() - child0;
    const pg1 = postgresCpuMs(databaseUrl());
    const probes = (await metricSum(registry, 'netpulse_poller_probes_total')) - probes0;
    const mode = poller.status().icmpMode;
    const failedValues = (await registry.getSingleMetric('netpulse_poller_probes_total')!.get()).values;
    const failed = failedValues
      .filter((value) => value.labels.result !== 'ok')
      .reduce((sum, value) => sum + value.value, 0);
    const skipped = await metricSum(registry, 'netpulse_poller_probes_skipped_total');
    const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    await poller.stop();
    // Every probe run is an observation: after stop() has flushed, each must be in the store.
    const probesRun = await metricSum(registry, 'netpulse_poller_probes_total');
    const { rows } = await store.pool.query<{ stored: string }>(
      `select count(*)::text as stored from ${quoteIdent(schema)}.telemetry_events`,
    );
    return {
      targets: size,
      mode,
      expectedPerSec: Math.round((size / interval) * 10) / 10,
      probesPerSec: Math.round((probes / seconds) * 10) / 10,
      cpuMsPerProbe: Math.round((cpu / Math.max(1, probes)) * 1000) / 1000,
      childCpuShare: Math.round((child / Math.max(1, cpu)) * 100) / 100,
      cores: Math.round((cpu / 1000 / seconds) * 1000) / 1000,
      postgresCpuMsPerProbe:
        pg0 === null || pg1 === null ? null : Math.round(((pg1 - pg0) / Math.max(1, probes)) * 1000) / 1000,
      failed,
      skipped,
      rssMiB,
      probesRun,
      stored: Number(rows[0]!.stored),
      appendFailures: await metricSum(registry, 'netpulse_poller_append_failures_total'),
      dropped: await metricSum(registry, 'netpulse_poller_observations_dropped_total'),
    };
  } finally {
    await poller?.stop();
    await store.pool.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await store.close();
  }
};

/** 3. Full SNMP polls against a local snmpd. */
const measureSnmp = async (seconds: number) => {
  const agent = await startSnmpd({ community: 'bench-community' });
  const prober = new SnmpProber({
    credentials: new CredentialStore({ bench: { version: 'v2c', community: agent.community } }),
    limiter: new Limiter(16),
  });
  try {
    const settings = { version: 'v2c' as const, port: agent.port, credentialRef: 'bench', timeoutMs: 3_000 };
    await prober.probe('warm-up', '127.0.0.1', settings);
    let polls = 0;
    let errors = 0;
    let incomplete = 0;
    const cpu0 = cpuMs();
    const start = performance.now();
    const deadline = start + seconds * 1000;
    // 8 devices polled back to back (all the same agent: snmpd is single-threaded, so this is its rate).
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        while (performance.now() < deadline) {
          const outcome = await prober.probe(`snmp-${worker}`, '127.0.0.1', settings);
          polls += 1;
          if (!outcome.reachable || outcome.error) errors += 1;
          else if (
            !outcome.snmp?.interfaces.length ||
            outcome.snmp.memoryPct === null ||
            !outcome.snmp.disks.length
          ) {
            incomplete += 1;
          }
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    return {
      pollsPerSec: Math.round((polls / elapsed) * 10) / 10,
      errors,
      incomplete,
      cpuMsPerPoll: Math.round(((cpuMs() - cpu0) / polls) * 100) / 100,
    };
  } finally {
    prober.close();
    await agent.stop();
  }
};

export const main = async (args: string[]): Promise<void> => {
  const options = parseArgs(args);
  console.log(
    `poll benchmark: ICMP interval ${options.interval} s, ${options.window} s measuring window per fleet size`,
  );

  const ping = await measurePingProcess(options.pingSamples);
  console.log(
    `ping (one process per probe, 3 packets): ${ping.cpuMsPerProbe.toFixed(2)} CPU ms/probe over ${ping.samples} probes, ` +
      `${ping.maxProbesPerSecAt32.toFixed(0)} probes/s at 32 in flight (${ping.ok} answered)`,
  );

  const rows: Row[] = [];
  const { hostname, port, pathname } = new URL(databaseUrl());
  console.log(
    `event store: PostgreSQL at ${hostname}:${port || 5432}${pathname}, a fresh schema per fleet size`,
  );
  console.log(
    'targets | mode  | expected/s | probes/s | CPU ms/probe | children share | cores | PG CPU ms/probe | failed | skipped | RSS MiB | stored/run',
  );
  for (const size of options.sizes) {
    const row = await measureFleet(size, options.interval, options.window, options.fpingThreshold);
    rows.push(row);
    console.log(
      `${String(row.targets).padStart(7)} | ${row.mode.padEnd(5)} | ${String(row.expectedPerSec).padStart(10)} | ${String(row.probesPerSec).padStart(8)} | ` +
        `${row.cpuMsPerProbe.toFixed(3).padStart(12)} | ${row.childCpuShare.toFixed(2).padStart(14)} | ${row.cores.toFixed(3).padStart(5)} | ` +
        `${(row.postgresCpuMsPerProbe === null ? 'n/a' : row.postgresCpuMsPerProbe.toFixed(3)).padStart(15)} | ${String(row.failed).padStart(6)} | ${String(row.skipped).padStart(7)} | ${String(row.rssMiB).padStart(7)} | ${row.stored}/${row.probesRun}`,
    );
    if (row.stored !== row.probesRun || row.dropped > 0) {
      console.log(
        `  warning: ${row.probesRun - row.stored} observations not in the store (${row.dropped} dropped, ${row.appendFailures} failed appends)`,
      );
    }
  }

  let snmp: Awaited<ReturnType<typeof measureSnmp>> | { pollsPerSec: null; error: string };
  try {
    snmp = await measureSnmp(options.snmpSeconds);
    console.log(
      `SNMP: ${snmp.pollsPerSec} full polls/s against the local snmpd, ${snmp.cpuMsPerPoll} CPU ms/poll in the poller (snmpd not counted), ${snmp.errors} errors, ${snmp.incomplete} without interfaces, memory or disks`,
    );
  } catch (error) {
    snmp = { pollsPerSec: null, error: error instanceof Error ? error.message : String(error) };
    console.log(`SNMP: skipped (${snmp.error})`);
  }

  const largest = rows.at(-1)!;
  printResult({
    name: 'poll',
    value: largest.probesPerSec,
    unit: 'probes/s',
    cpuMsPerProbe: largest.cpuMsPerProbe,
    snmpPollsPerSec: snmp.pollsPerSec,
    store: 'postgresql',
    postgresCpuMsPerProbe: largest.postgresCpuMsPerProbe,
    observationsStored: largest.stored,
    observationsLost: largest.probesRun - largest.stored,
    targets: largest.targets,
    intervalSeconds: options.interval,
    icmpMode: largest.mode,
    cores: largest.cores,
    pingProcessCpuMsPerProbe: Math.round(ping.cpuMsPerProbe * 1000) / 1000,
    scaling: rows.map((row) => ({
      targets: row.targets,
      probesPerSec: row.probesPerSec,
      cpuMsPerProbe: row.cpuMsPerProbe,
      postgresCpuMsPerProbe: row.postgresCpuMsPerProbe,
    })),
  });
};
