/**
 * Append → visible latency through the live projector, on the PostgreSQL service
 * (BENCH_DATABASE_URL, else TEST_DATABASE_URL). Registers `--devices N` (default 5000) devices,
 * starts every projection in-process (as `netpulse start` would), then appends observations at
 * `--rate N` per second (default 5000; two appendMany calls of rate/100 every 20 ms, ICMP and SNMP
 * with 4 interfaces) for `--seconds N` (default 60), after `--warmup-seconds N` (default 10) at the
 * same rate that are not measured. One observation per tick is a probe: the time
 * from calling appendMany to its observedAt showing in the devices read model (looked up on each of
 * the devices projection's commit announcements, and every `--poll-ms`, default 50 ms) is its latency. `--batch N` is the projectors' batch size (default 500,
 * the role's default), `--gather-ms N` how long caught-up projectors let new events gather before
 * reading them (default: the role's, NETPULSE_PROJECTOR_GATHER_MS). Reports p50 / p95 / p99, the
 * throughput the projector kept up with (observations appended per second of the run, including the
 * drain after the last append), and the CPU seconds of this process and of its own PostgreSQL
 * backends over the run (see backend-cpu.ts). BENCH_PROJECTIONS=devices,… runs only those
 * projections (to see what each costs).
 */
import { randomUUID } from 'node:crypto';
import type { StreamAppend } from '@netpulse/domain';
import { systemClock } from '@netpulse/domain';
import { createPool, loadProjectorConfig, migrate, PostgresEventStore } from '@netpulse/infra';
import {
  allProjections,
  detectMetricsStorage,
  ProjectionRegistry,
  READ_MODEL_MIGRATIONS_TABLE,
  readModelChannel,
  readModelMigrations,
  silentProjectionLogger,
  startProjectionRunner,
} from '@netpulse/projections';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { load, trackBackendCpu, withApplicationName } from './backend-cpu.ts';
import {
  appendOf,
  deviceStream,
  icmpObservation,
  observations,
  registration,
  snmpObservation,
} from './fleet-history.ts';
import { option } from './options.ts';
import { printResult } from './result-line.ts';

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const main = async (args: string[]): Promise<void> => {
  const seconds = option(args, 'seconds', 60);
  const warmupSeconds = option(args, 'warmup-seconds', 10, { zero: true });
  const rate = option(args, 'rate', 5_000);
  const deviceCount = option(args, 'devices', 5_000);
  const pollMs = option(args, 'poll-ms', 50);
  // What `netpulse start` uses unless NETPULSE_PROJECTOR_GATHER_MS says otherwise.
  const gatherMs = option(args, 'gather-ms', loadProjectorConfig({}).NETPULSE_PROJECTOR_GATHER_MS, {
    zero: true,
  });
  const tickMs = 20;
  const perTick = Math.round((rate * tickMs) / 1_000);
  const applicationName = `bench-pipeline-${process.pid}`;
  const url = withApplicationName(process.env.BENCH_DATABASE_URL ?? testDatabaseUrl(), applicationName);
  const eventSchema = uniqueSchemaName('bench_pipeline_events');
  const readSchema = uniqueSchemaName('bench_pipeline_read');
  const store = await PostgresEventStore.connect({ connectionString: url, schema: eventSchema, poolSize: 8 });
  const pool = createPool({ connectionString: url, max: 16 });
  const runners: Array<{ stop(): Promise<void> }> = [];
  const listener = new pg.Client({ connectionString: url });
  try {
    const devices = Array.from({ length: deviceCount }, (_, i) => `pipe-dev-${i}`);
    const registeredAt = new Date().toISOString();
    for (let i = 0; i < devices.length; i += 1_000) {
      await store.appendMany(
        devices.slice(i, i + 1_000).map((id) => appendOf(deviceStream(id), [registration(id, registeredAt)])),
      );
    }
    await migrate(pool, readSchema, readModelMigrations, READ_MODEL_MIGRATIONS_TABLE);
    const registry = new ProjectionRegistry(pool, readSchema);
    const only = process.env.BENCH_PROJECTIONS?.split(',');
    const projections = allProjections(await detectMetricsStorage(pool)).filter(
      (projection) => !only || only.includes(projection.name),
    );
    for (const projection of projections) {
      runners.push(
        startProjectionRunner({
          store,
          pool,
          registry,
          projection,
          logger: silentProjectionLogger,
          clock: systemClock,
          batchSize: option(args, 'batch', 500),
          gatherMs,
          lagSampleMs: 0,
        }),
      );
    }
    const s = `"${readSchema}"`;
    const waitFor = async (sql: string, params: unknown[], done: (n: number) => boolean) => {
      for (;;) {
        const { rows } = await pool.query<{ n: number }>(sql, params).catch(() => ({ rows: [{ n: -1 }] }));
        if (done(rows[0]?.n ?? -1)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitFor(`select count(*)::int as n from ${s}.devices`, [], (n) => n === deviceCount);
    console.error(
      `${deviceCount} devices projected; appending ${rate}/s for ${warmupSeconds} s (warm-up) then ${seconds} s`,
    );

    // Probes: the device and observedAt of one observation per tick, waiting to become visible.
    const pending = new Map<string, { observedAt: string; appendedAt: number }>();
    const probed: Array<{ appendedAt: number; ms: number }> = [];
    // Checked when the devices projection announces a commit (as the API's page cache hears it), and
    // every --poll-ms in case: polling every 5 ms cost this process and PostgreSQL 200 queries a second.
    await listener.connect();
    let changed = false;
    let wake = () => {};
    listener.on('notification', (message) => {
      if (message.payload !== 'devices') return;
      changed = true;
      wake();
    });
    await listener.query(`listen "${readModelChannel(readSchema)}"`);
    let polling = true;
    const poller = (async () => {
      while (polling || pending.size > 0) {
        if (!changed)
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, pollMs);
          });
        changed = false;
        if (pending.size > 0) {
          const ids = [...pending.keys()];
          const { rows } = await pool.query<{ device_id: string; seen: string }>(
            `select device_id, last_observed_at::text as seen from ${s}.device_observations_v1 where device_id = any($1::text[])`,
            [ids],
          );
          const now = performance.now();
          for (const row of rows) {
            const probe = pending.get(row.device_id);
            if (probe && new Date(row.seen).getTime() >= new Date(probe.observedAt).getTime()) {
              probed.push({ appendedAt: probe.appendedAt, ms: now - probe.appendedAt });
              pending.delete(row.device_id);
            }
          }
        }
      }
    })();

    let appended = 0;
    // Warm-up's too: the metrics drain below waits for every stored observation.
    let appendedInAll = 0;
    let appendErrors = 0;
    let next = 0;
    let n = 0;
    /** Appends at the rate for `ms`; `measured` ones count and carry probes. */
    const appendFor = async (ms: number, measured: boolean) => {
      const from = performance.now();
      const inFlight = new Set<Promise<void>>();
      for (let tick = 0; performance.now() - from < ms; tick++) {
        const due = from + tick * tickMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const at = new Date().toISOString();
        const batch: StreamAppend[] = [];
        for (let i = 0; i < perTick; i++) {
          const deviceId = devices[next++ % devices.length]!;
          n += 1;
          const event = n % 3 === 0 ? snmpObservation(deviceId, at, n, 4) : icmpObservation(deviceId, at, n);
          batch.push(appendOf(observations(deviceId), [{ ...event, id: randomUUID() }]));
        }
        const probeDevice = batch[0]!.streamId.slice('observations-'.length);
        const appendedAt = performance.now();
        // Two concurrent appends per tick, as two pollers would; bounded so a slow store shows as lag.
        const halves = [batch.slice(0, perTick / 2), batch.slice(perTick / 2)];
        const work = Promise.all(halves.map((half) => store.appendMany(half)))
          .then(() => {
            appendedInAll += perTick;
            if (!measured) return;
            appended += perTick;
            if (!pending.has(probeDevice)) pending.set(probeDevice, { observedAt: at, appendedAt });
          })
          .catch(() => {
            if (measured) appendErrors += 1;
          });
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
        if (inFlight.size >= 8) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    };

    // A running deployment is warm: JIT-compiled code, the database's caches, partitions that exist.
    await appendFor(warmupSeconds * 1_000, false);
    const backends = trackBackendCpu(pool, applicationName);
    const loadBefore = load();
    await backends.start();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await appendFor(seconds * 1_000, true);
    const appendSeconds = (performance.now() - started) / 1_000;
    const drainStart = performance.now();
    const expected = appendedInAll;
    if (projections.some((projection) => projection.name === 'metrics'))
      await waitFor(`select count(*)::int as n from ${s}.metrics_raw`, [], (count) => count >= expected);
    const drainSeconds = (performance.now() - drainStart) / 1_000;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresCpuSeconds = await backends.stop();
    const loadAfter = load();
    polling = false;
    await poller;
    const sorted = probed.map((probe) => probe.ms).sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const p95 = percentile(sorted, 95);
    console.error(
      `appended ${appended} in ${appendSeconds.toFixed(1)} s (${appendErrors} failed appends); probes ${sorted.length}; ` +
        `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms; ` +
        `metrics drained ${drainSeconds.toFixed(2)} s after the last append`,
    );
    // Where in the run the slow probes were: a warm-up, a periodic stall, or a steady backlog.
    for (let from = 0; from < appendSeconds; from += 5) {
      const slice = probed
        .filter(
          (probe) =>
            probe.appendedAt - started >= from * 1_000 && probe.appendedAt - started < (from + 5) * 1_000,
        )
        .map((probe) => probe.ms)
        .sort((a, b) => a - b);
      console.error(
        `  appended at ${from}–${from + 5} s: ${slice.length} probes, p50 ${percentile(slice, 50).toFixed(1)} ms, max ${(slice[slice.length - 1] ?? Number.NaN).toFixed(1)} ms`,
      );
    }
    printResult({
      name: 'pipeline',
      value: Number(p99.toFixed(1)),
      unit: 'ms',
      p50: Number(p50.toFixed(1)),
      p95: Number(p95.toFixed(1)),
      throughput: Math.round(appended / (appendSeconds + drainSeconds)),
      targetRate: rate,
      gatherMs,
      appendedPerSec: Math.round(appended / appendSeconds),
      drainSecondsAfterLastAppend: Number(drainSeconds.toFixed(2)),
      max: Number((sorted[sorted.length - 1] ?? Number.NaN).toFixed(1)),
      probes: sorted.length,
      seconds,
      warmupSeconds,
      devices: deviceCount,
      appendErrors,
      // Appends, every projection and the probes: this process and its own backends.
      nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      postgresCpuSeconds,
      loadAverage: [loadBefore, loadAfter],
    });
  } finally {
    await listener.end().catch(() => {});
    await Promise.all(runners.map((runner) => runner.stop()));
    await store.close();
    await pool.end();
    await dropSchema(eventSchema);
    await dropSchema(readSchema);
  }
};
