/**
 * `npm run bench -- api [--devices 10000] [--seconds 15] [--rate 1000] [--subscribers 1000]
 *   [--events-per-sec 100] [--fanout-seconds 15] [--client-processes 2] [--graphql-ws-client 0]
 *   [--no-redis] [--fanout-only]
 *   [--queries-only] [--api-workers 1] [--churn 0] [--rate-connections 50]`
 *
 * The GraphQL API of a real NetPulse (`netpulse start` from the sources, every role, on the
 * PostgreSQL service: BENCH_DATABASE_URL else TEST_DATABASE_URL; Redis at TEST_REDIS_URL or
 * 127.0.0.1:6379 for the live feed unless `--no-redis 1`), with `--devices` registered devices
 * (probes off, so the poller stays idle) and an administrator's JWT:
 *  1. at a fixed `--rate` req/s for `--seconds`, paced evenly (bench/paced-load.ts, an open-loop
 *     load in a process of its own: each latency counts from when its request was due): a devices
 *     page (50 devices), then a device detail (a random device); p50 / p99 of each;
 *     then the same two with autocannon's `overallRate` over `--rate-connections` (50): autocannon
 *     gives each connection its share of a second and sends that share back to back from the start
 *     of the second, so the server meets `--rate-connections` requests at once, then nothing; its
 *     latencies follow that count more than the rate (its coordinated-omission correction is off:
 *     broken at these rates, see `load`);
 *  2. autocannon flat out (32 connections): the sustained requests/s of each query;
 *  3. fan-out: `--subscribers` graphql-transport-ws clients (one connection each, spread over
 *     `--client-processes` child processes; lean ones that read only the send time of each
 *     delivery, bench/lean-subscriber.ts, or graphql-ws's client with `--graphql-ws-client 1`)
 *     subscribe to `deviceStatusChanged`; the benchmark
 *     appends `--events-per-sec` status changes to the event store, each carrying its send time,
 *     and every client measures delivery latency (send → message parsed by the client) of the
 *     events sent during `--fanout-seconds` after a 3 s warm-up, however late they arrive (30 s
 *     drain); `delivered` below `expectedDeliveries` means deliveries were lost or later than that.
 * `--churn N` appends N observations/s of the fleet during the query phases (333 = 10,000 devices at a
 * 30 s interval), so the devices read model keeps committing and the API's page cache keeps being
 * dropped, as with pollers running; `devicesCacheHitPct` says how many pages the cache served.
 * `--api-workers N` runs the HTTP API in N worker processes (API_WORKERS; needs Redis); the server's
 * CPU per request then counts the primary and every worker, and each phase reports how many of its
 * processes did the work (`serverProcesses`).
 * BENCH_SERVER_LOG=<pino level> prints the end of the server's output when the benchmark ends;
 * BENCH_SERVER_NODE_ARGS adds Node flags to the server (for example `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * or `--trace-gc`), BENCH_SUBSCRIBER_NODE_ARGS to each subscriber process.
 * Every response is checked for GraphQL errors (autocannon counts them as mismatches). Prints the
 * phases, then one JSON line; `value` is the devices query p99 at the fixed rate, paced evenly.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CURRENT_SCHEMA_VERSION, deterministicId, type StreamAppend, streamId } from '@netpulse/domain';
import { PostgresEventStore } from '@netpulse/infra';
import { testDatabaseUrl } from '@netpulse/testing';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { loginAs } from '../infra/src/testing/graphql-client.ts';
import {
  createTestDeployment,
  type NetPulseProcess,
  startNetPulse,
} from '../infra/src/testing/netpulse-process.ts';
import { postgresCpuMs } from './backend-cpu.ts';
import { machineCpuTimes } from './machine-speed.ts';
import { startChurn } from './observation-churn.ts';
import { option } from './options.ts';
import type { PacedLoadResult } from './paced-load.ts';
import { pacedLoadInChild } from './paced-load-process.ts';
import { processTreeCpu } from './process-cpu.ts';
import { registeredDevice } from './registered-device.ts';
import { printResult } from './result-line.ts';

const ORGANIZATION = 'default';
const deviceId = (i: number) => `bench-api-${String(i).padStart(5, '0')}`;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const metadata = (type: string, key: string) => {
  const id = deterministicId('bench-api', type, key);
  return {
    id,
    type,
    metadata: {
      organizationId: ORGANIZATION,
      actor: { kind: 'user' as const, id: 'bench-admin' },
      correlationId: id,
      causationId: id,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  };
};

/** A registered device with probes off and its first status, as the command side records them. */
const deviceHistory = (i: number, at: string) =>
  registeredDevice(
    'bench-api',
    ORGANIZATION,
    {
      deviceId: deviceId(i),
      name: `node-${String(i).padStart(5, '0')}`,
      kind: i % 2 ? 'switch' : 'router',
      location: `site-${i % 40}`,
      tags: [`rack:${i % 12}`],
      status: 'up',
      index: i,
    },
    at,
  );

const redisAvailable = async (url: string) => {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
};

/** The feed-lag histogram's cumulative buckets, as /metrics shows them now. */
const feedLagBuckets = async (url: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^netpulse_live_feed_lag_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)].map(
    (match) => ({
      le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]),
      count: Number(match[2]),
    }),
  );
};

/** Upper bound (ms) of the bucket holding the p-th percentile of what was observed between two scrapes. */
const lagPercentileUpTo = (
  before: readonly { le: number; count: number }[],
  after: readonly { le: number; count: number }[],
  p: number,
) => {
  const delta = after.map((bucket, i) => ({ le: bucket.le, count: bucket.count - (before[i]?.count ?? 0) }));
  const total = delta.at(-1)?.count ?? 0;
  const bucket = delta.find((entry) => total > 0 && entry.count >= (p / 100) * total);
  return bucket && Number.isFinite(bucket.le) ? 1_000 * bucket.le : null;
};

/** Device pages the server's read cache served (hits) and read (misses, bypasses) so far. */
const pageReads = async (url: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (outcome: string) =>
    Number(
      text.match(
        new RegExp(
          `^netpulse_read_cache_reads_total\\{read_model="devices",outcome="${outcome}"\\} (\\d+)`,
          'm',
        ),
      )?.[1] ?? 0,
    );
  return { hits: count('hit'), reads: count('miss') + count('bypass') };
};

/** Events the server's reactors have handled so far, as /metrics counts them. */
const reactorEventsHandled = async (url: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^netpulse_reactor_events_handled_total\{[^}]*\} (\d+)/gm)].reduce(
    (total, match) => total + Number(match[1]),
    0,
  );
};

/**
 * Waits until the reactors have worked through the seeded history (no event handled for 2 s): in
 * `netpulse start` they share the API's event loop, and their catch-up on 10,000 registrations
 * would otherwise land in the first measured phase as event-loop stalls no steady state has.
 */
const reactorsSettled = async (url: string) => {
  let last = -1;
  let quietSince = Date.now();
  for (const until = Date.now() + 120_000; Date.now() < until; await sleep(500)) {
    const handled = await reactorEventsHandled(url);
    if (handled !== last) {
      last = handled;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= 2_000) return handled;
  }
  throw new Error('the reactors did not settle within 120 s');
};

/**
 * CPU seconds (user + system) the server has used so far: its process and, with API_WORKERS > 1,
 * its API workers.
 */
const cpuSeconds = (pid: number) => [...processTreeCpu(pid).values()].reduce((sum, s) => sum + s, 0);

/**
 * The server's processes that worked during a phase (used over 5 % of what the busiest did): with
 * API workers, how many of them served.
 */
const busyProcesses = (before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>) => {
  const used = [...after].map(([pid, seconds]) => seconds - (before.get(pid) ?? 0));
  const most = Math.max(0, ...used);
  return used.filter((seconds) => most > 0 && seconds > 0.05 * most).length;
};

const SUBSCRIPTION = 'subscription { deviceStatusChanged { deviceId to at } }';
const DEVICES_QUERY = `query { devices(first: 50) { nodes { deviceId name address kind status tags
  latest { reachable rttAvgMs lossPct } } pageInfo { endCursor hasNextPage } } }`;
const DEVICE_QUERY = `query ($id: String!) { device(deviceId: $id) { deviceId name address kind location tags
  status statusReason statusChangedAt monitoringPaused inMaintenance registeredAt latest { reachable rttAvgMs } } }`;

type PacedPhase = PacedLoadResult & Readonly<{ serverCpuUsPerRequest: number }>;

type Load = Readonly<{
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  /** Where the two cores went during the phase: the server's processes, this process (autocannon), all. */
  serverCpuUsPerRequest?: number;
  /** How many of the server's processes (the primary, API workers) used CPU during the phase. */
  serverProcesses?: number;
  clientCpuPct?: number;
  machineBusyPct?: number;
}>;

/** Busy and total jiffies of the whole machine so far. */
const machineJiffies = () => {
  const times = machineCpuTimes();
  if (!times) throw new Error("the api benchmark reads the machine's CPU time from /proc/stat (Linux)");
  return { busy: times.total - times.idle, total: times.total };
};

const load = async (
  url: string,
  token: string,
  query: string,
  variables: () => Record<string, unknown>,
  options: { seconds: number; rate?: number; connections: number; serverPid?: number },
): Promise<Load> => {
  const serverBefore = options.serverPid ? processTreeCpu(options.serverPid) : new Map<number, number>();
  const clientBefore = process.cpuUsage();
  const machineBefore = machineJiffies();
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    connections: options.connections,
    duration: options.seconds,
    // autocannon 9's correction for coordinated omission (lib/run.js) records each response with an
    // expected interval of Math.ceil(1 / rate) ms, rate being one connection's requests per second:
    // 1 ms, where a connection's requests are 1000 / rate ms apart (50 ms at 1,000 req/s over 50
    // connections). A response of L ms then counts as about L samples, and the p99 follows the
    // slowest few responses (161 ms on an idle machine against 19 ms paced). The paced phase
    // (paced-load.ts) counts latency from when each request was due, which is the correction done right.
    ...(options.rate ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ query, variables: variables() }) }),
      },
    ],
    verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.non2xx + result.mismatches,
    ...(options.serverPid
      ? (() => {
          const client = process.cpuUsage(clientBefore);
          const machine = machineJiffies();
          const serverAfter = processTreeCpu(options.serverPid);
          const serverSeconds = [...serverAfter].reduce(
            (sum, [pid, seconds]) => sum + seconds - (serverBefore.get(pid) ?? 0),
            0,
          );
          return {
            serverCpuUsPerRequest: Math.round((1e6 * serverSeconds) / Math.max(1, result.requests.total)),
            serverProcesses: busyProcesses(serverBefore, serverAfter),
            clientCpuPct: Math.round((client.user + client.system) / 1e4 / options.seconds),
            machineBusyPct: Math.round(
              (100 * (machine.busy - machineBefore.busy)) / Math.max(1, machine.total - machineBefore.total),
            ),
          };
        })()
      : {}),
  };
};

type Report = { buckets: number[]; delivered: number; errors: number };

/** Subscribers spread over `processes` child processes (bench/api-subscribers.ts). */
const subscriberProcesses = async (
  url: string,
  token: string,
  { subscriberCount: count, clientProcesses: processes, graphqlWsClient }: FanoutOptions,
) => {
  const children = Array.from({ length: processes }, () =>
    fork(fileURLToPath(new URL('./api-subscribers.ts', import.meta.url)), [], {
      execArgv: [
        '--import',
        'tsx',
        '--conditions=source',
        ...(process.env.BENCH_SUBSCRIBER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
    }),
  );
  const reply = <T>(child: ChildProcess, kind: string) =>
    new Promise<T>((resolve) => {
      const listener = (message: { kind: string }) => {
        if (message.kind !== kind) return;
        child.off('message', listener);
        resolve(message as T);
      };
      child.on('message', listener);
    });
  const readies = children.map((child, i) => {
    const ready = reply<{ connected: number }>(child, 'ready');
    const share = Math.floor(count / processes) + (i < count % processes ? 1 : 0);
    child.send({ kind: 'start', start: { url, token, count: share, query: SUBSCRIPTION, graphqlWsClient } });
    return ready;
  });
  const connected = (await Promise.all(readies)).reduce((total, ready) => total + ready.connected, 0);
  return {
    connected,
    /** CPU seconds the client processes have used so far. */
    cpuSeconds: () => children.reduce((sum, child) => sum + cpuSeconds(child.pid!), 0),
    window: (from: number, to: number) => {
      for (const child of children) child.send({ kind: 'window', from, to });
    },
    report: async (): Promise<Report> => {
      const reports = await Promise.all(
        children.map((child) => {
          const answer = reply<Report>(child, 'report');
          child.send({ kind: 'report' });
          return answer;
        }),
      );
      const buckets = reports[0]!.buckets.map((_, ms) =>
        reports.reduce((sum, report) => sum + report.buckets[ms]!, 0),
      );
      return {
        buckets,
        delivered: reports.reduce((sum, report) => sum + report.delivered, 0),
        errors: reports.reduce((sum, report) => sum + report.errors, 0),
      };
    },
    stop: async () => {
      await Promise.all(
        children.map((child) => {
          const exited = once(child, 'exit');
          child.send({ kind: 'stop' });
          return exited;
        }),
      );
    },
  };
};

/** The p-th percentile of a histogram of 1 ms buckets. */
const bucketPercentile = (buckets: readonly number[], p: number) => {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let ms = 0; ms < buckets.length; ms++) {
    seen += buckets[ms]!;
    if (seen >= (p / 100) * total && total > 0) return ms;
  }
  return Number.NaN;
};

type FanoutOptions = Readonly<{
  subscriberCount: number;
  clientProcesses: number;
  /** graphql-ws's client in the subscriber processes instead of the lean one. */
  graphqlWsClient: boolean;
  eventsPerSec: number;
  fanoutSeconds: number;
  deviceCount: number;
  /** The event store's database: its processes' CPU is reported when it runs on this machine. */
  databaseUrl: string;
}>;

/** Phase 3: subscribers in child processes, status changes appended at a fixed rate. */
const measureFanout = async (
  server: NetPulseProcess,
  store: PostgresEventStore,
  token: string,
  options: FanoutOptions,
) => {
  const { subscriberCount, clientProcesses, eventsPerSec, fanoutSeconds, deviceCount, databaseUrl } = options;
  const subscribers = await subscriberProcesses(server.url, token, options);
  console.error(
    `${subscribers.connected} of ${subscriberCount} subscribers connected (${clientProcesses} client processes)`,
  );
  await sleep(2_000);
  let sent = 0;
  let measuredSent = 0;
  let stopSending = false;
  const warmupMs = 3_000;
  const windowFrom = Date.now() + warmupMs;
  const windowTo = windowFrom + fanoutSeconds * 1_000;
  subscribers.window(windowFrom, windowTo);
  // At least one event per tick, at least 20 ms between ticks.
  const tickMs = Math.max(20, Math.round(1_000 / eventsPerSec));
  const perTick = Math.max(1, Math.round((eventsPerSec * tickMs) / 1_000));
  const sender = (async () => {
    let next = Date.now();
    while (!stopSending) {
      const sentAt = Date.now();
      const changedAt = new Date(sentAt).toISOString();
      const batch = Array.from({ length: perTick }, (): StreamAppend => {
        const n = sent++;
        const id = deviceId(n % deviceCount);
        return {
          streamId: streamId('device', id),
          expectedVersion: 'any',
          events: [
            {
              ...metadata('DeviceStatusChanged', `${id}:${n}`),
              data: { deviceId: id, from: 'up', to: 'up', reason: `bench ${n}`, changedAt },
            },
          ],
        };
      });
      await store.appendMany(batch);
      if (sentAt >= windowFrom && sentAt < windowTo) measuredSent += perTick;
      next += tickMs;
      await sleep(Math.max(0, next - Date.now()));
    }
  })();
  await sleep(windowFrom - Date.now());
  const cpuBefore = cpuSeconds(server.child.pid!);
  const clientCpuBefore = subscribers.cpuSeconds();
  const postgresBefore = postgresCpuMs(databaseUrl);
  const lagBefore = await feedLagBuckets(server.url);
  await sleep(windowTo - Date.now());
  // CPU first: under overload /metrics may take seconds to answer, and the window ends now.
  const serverCpuPct = (100 * (cpuSeconds(server.child.pid!) - cpuBefore)) / fanoutSeconds;
  const clientCpuPct = (100 * (subscribers.cpuSeconds() - clientCpuBefore)) / fanoutSeconds;
  const postgresAfter = postgresCpuMs(databaseUrl);
  const postgresCpuPct =
    postgresBefore === null || postgresAfter === null
      ? null
      : (postgresAfter - postgresBefore) / 10 / fanoutSeconds;
  const lagAfter = await feedLagBuckets(server.url);
  stopSending = true;
  await sender;
  // Late deliveries of the window's events still count (up to a 30 s drain).
  const expected = () => measuredSent * subscribers.connected;
  let report = await subscribers.report();
  const drainUntil = Date.now() + 30_000;
  while (report.delivered < expected() && Date.now() < drainUntil) {
    await sleep(1_000);
    report = await subscribers.report();
  }
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const slowClosed = [
    ...metrics.matchAll(/^netpulse_live_slow_consumers_closed_total\{[^}]*\} (\d+)/gm),
  ].reduce((total, match) => total + Number(match[1]), 0);
  const fanout = {
    subscribers: subscribers.connected,
    eventsPerSec: Math.round(measuredSent / fanoutSeconds),
    delivered: report.delivered,
    expected: expected(),
    p50: bucketPercentile(report.buckets, 50),
    p99: bucketPercentile(report.buckets, 99),
    max: report.buckets.findLastIndex((count) => count > 0),
    slowClosed,
    subscriberErrors: report.errors,
    serverCpuPct: Math.round(serverCpuPct),
    // The subscribers' processes, on the same two cores here (on other machines in production).
    clientCpuPct: Math.round(clientCpuPct),
    // Every PostgreSQL process of this machine (null when the database is elsewhere).
    postgresCpuPct: postgresCpuPct === null ? null : Math.round(postgresCpuPct),
    // Where the time goes: recorded → heard by the API process (publisher, Redis, hub), during the window.
    feedLagP50UpToMs: lagPercentileUpTo(lagBefore, lagAfter, 50),
    feedLagP99UpToMs: lagPercentileUpTo(lagBefore, lagAfter, 99),
  };
  console.error(`fan-out: ${JSON.stringify(fanout)}`);
  await subscribers.stop();
  return fanout;
};

export const main = async (args: string[]): Promise<void> => {
  const deviceCount = option(args, 'devices', 10_000);
  const seconds = option(args, 'seconds', 15);
  const rate = option(args, 'rate', 1_000);
  const subscriberCount = option(args, 'subscribers', 1_000);
  const eventsPerSec = option(args, 'events-per-sec', 100);
  const fanoutSeconds = option(args, 'fanout-seconds', 15);
  const clientProcesses = option(args, 'client-processes', 2);
  const graphqlWsClient = option(args, 'graphql-ws-client', 0, { zero: true }) === 1;
  const apiWorkers = option(args, 'api-workers', 1);
  const fanoutOnly = args.includes('--fanout-only');
  const queriesOnly = args.includes('--queries-only');
  const churnPerSec = option(args, 'churn', 0);
  const rateConnections = option(args, 'rate-connections', 50);
  const url = process.env.BENCH_DATABASE_URL ?? testDatabaseUrl();
  process.env.TEST_DATABASE_URL = url;
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = !args.includes('--no-redis') && (await redisAvailable(redisUrl));

  const deployment = createTestDeployment('bench_api');
  const store = await PostgresEventStore.connect({
    connectionString: url,
    schema: deployment.eventStoreSchema,
  });
  const seededAt = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < deviceCount; i += 1_000)
    await store.appendMany(
      Array.from({ length: Math.min(1_000, deviceCount - i) }, (_, n) => deviceHistory(i + n, seededAt)),
    );
  console.error(
    `${deviceCount} devices appended; starting NetPulse (live feed: ${redis ? 'Redis' : 'in-process'}, API processes: ${apiWorkers})`,
  );

  const server = await startNetPulse(deployment, {
    timeoutMs: 180_000,
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
    env: {
      LOG_LEVEL: process.env.BENCH_SERVER_LOG ?? 'error',
      RATE_LIMIT_PER_MINUTE: '1000000',
      API_WORKERS: String(apiWorkers),
      // READ_CACHE_ENTRIES=0 npm run bench -- api: the pages read from PostgreSQL every time (A/B).
      ...(process.env.READ_CACHE_ENTRIES ? { READ_CACHE_ENTRIES: process.env.READ_CACHE_ENTRIES } : {}),
      ...(redis ? { REDIS_URL: redisUrl } : {}),
    },
  });
  try {
    const token = await loginAs(server.url, deployment.adminEmail, deployment.adminPassword);
    const projectedSince = Date.now();
    for (;;) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify({ query: '{ fleetSummary { total } }' }),
      });
      const body = (await response.json()) as { data?: { fleetSummary: { total: number } } };
      if ((body.data?.fleetSummary.total ?? 0) >= deviceCount) break;
      if (Date.now() - projectedSince > 300_000) throw new Error('the read model did not fill');
      await sleep(500);
    }
    console.error(
      `read model holds ${deviceCount} devices; reactors settled after ${await reactorsSettled(server.url)} events`,
    );

    const noVariables = () => ({});
    const randomDevice = () => ({ id: deviceId(Math.floor(Math.random() * deviceCount)) });
    const skipped: Load = { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, requests: 0, failures: 0 };
    let devicesAtRate = skipped;
    let devicesPaced: PacedPhase | null = null;
    let detailPaced: PacedPhase | null = null;
    let detailAtRate = skipped;
    let devicesMax = skipped;
    let detailMax = skipped;
    let churned: { appended: number; errors: number } | null = null;
    let devicesCacheHitPct: number | null = null;
    if (!fanoutOnly) {
      const deviceIds = Array.from({ length: deviceCount }, (_, i) => deviceId(i));
      const churn =
        churnPerSec > 0
          ? startChurn(store, {
              perSec: churnPerSec,
              organizationId: ORGANIZATION,
              deviceIds,
            })
          : null;
      // Warm-up: JIT, pools, caches.
      await load(server.url, token, DEVICES_QUERY, noVariables, { seconds: 3, connections: 8 });
      await load(server.url, token, DEVICE_QUERY, randomDevice, { seconds: 3, connections: 8 });
      const pagesBefore = await pageReads(server.url);
      const paced = async (query: string, ids?: readonly string[]) => {
        const cpuBefore = cpuSeconds(server.child.pid!);
        const result = await pacedLoadInChild({
          url: `${server.url}/graphql`,
          headers: { 'content-type': 'application/json', authorization: token },
          query,
          ...(ids ? { ids } : {}),
          rate,
          seconds,
          connections: 50,
        });
        return {
          ...result,
          serverCpuUsPerRequest: Math.round(
            (1e6 * (cpuSeconds(server.child.pid!) - cpuBefore)) / Math.max(1, result.requests),
          ),
        };
      };
      devicesPaced = await paced(DEVICES_QUERY);
      const pagesAfter = await pageReads(server.url);
      const pages = pagesAfter.hits - pagesBefore.hits + pagesAfter.reads - pagesBefore.reads;
      devicesCacheHitPct = pages > 0 ? round((100 * (pagesAfter.hits - pagesBefore.hits)) / pages) : null;
      console.error(`devices page paced evenly at ${rate} req/s: ${JSON.stringify(devicesPaced)}`);
      detailPaced = await paced(DEVICE_QUERY, deviceIds);
      console.error(`device detail paced evenly at ${rate} req/s: ${JSON.stringify(detailPaced)}`);
      devicesAtRate = await load(server.url, token, DEVICES_QUERY, noVariables, {
        seconds,
        rate,
        connections: rateConnections,
        serverPid: server.child.pid,
      });
      console.error(`devices page, autocannon at ${rate} req/s: ${JSON.stringify(devicesAtRate)}`);
      detailAtRate = await load(server.url, token, DEVICE_QUERY, randomDevice, {
        seconds,
        rate,
        connections: rateConnections,
        serverPid: server.child.pid,
      });
      console.error(`device detail, autocannon at ${rate} req/s: ${JSON.stringify(detailAtRate)}`);
      devicesMax = await load(server.url, token, DEVICES_QUERY, noVariables, {
        seconds,
        connections: 32,
        serverPid: server.child.pid,
      });
      console.error(`devices page flat out: ${JSON.stringify(devicesMax)}`);
      detailMax = await load(server.url, token, DEVICE_QUERY, randomDevice, {
        seconds,
        connections: 32,
        serverPid: server.child.pid,
      });
      console.error(`device detail flat out: ${JSON.stringify(detailMax)}`);
      churned = (await churn?.stop()) ?? null;
      if (churned) console.error(`churn: ${JSON.stringify(churned)}`);
    }

    const fanout = queriesOnly
      ? null
      : await measureFanout(server, store, token, {
          subscriberCount,
          clientProcesses,
          graphqlWsClient,
          eventsPerSec,
          fanoutSeconds,
          deviceCount,
          databaseUrl: url,
        });

    printResult({
      name: 'api',
      // Open-loop latency at the fixed rate: each request counted from when it was due.
      value: devicesPaced?.p99 ?? Number.NaN,
      unit: 'ms',
      rps: devicesMax.rps,
      fanoutP99Ms: fanout?.p99 ?? null,
      devices: deviceCount,
      rate,
      devicesP50Ms: devicesPaced?.p50 ?? null,
      devicesP999Ms: devicesPaced?.p999 ?? null,
      devicesMaxMs: devicesPaced?.max ?? null,
      devicesRpsAtRate: devicesPaced?.rps ?? null,
      devicesServerCpuUsPerRequest: devicesPaced?.serverCpuUsPerRequest ?? null,
      // The paced client's own stalls, which count in its latencies (paced-load.ts).
      devicesClientDelayMaxMs: devicesPaced?.clientDelayMaxMs ?? null,
      detailP99Ms: detailPaced?.p99 ?? null,
      detailP50Ms: detailPaced?.p50 ?? null,
      detailRps: detailMax.rps,
      // autocannon's rate mode: each of `rateConnections` connections sends its share of a second
      // back to back, so these follow the connection count more than the rate (docs/benchmarks.md).
      rateConnections,
      devicesAutocannonP99Ms: round(devicesAtRate.p99),
      devicesAutocannonP50Ms: round(devicesAtRate.p50),
      detailAutocannonP99Ms: round(detailAtRate.p99),
      devicesMaxP99Ms: round(devicesMax.p99),
      failures:
        (devicesPaced?.failures ?? 0) +
        (detailPaced?.failures ?? 0) +
        devicesAtRate.failures +
        detailAtRate.failures +
        devicesMax.failures +
        detailMax.failures,
      fanoutP50Ms: fanout?.p50 ?? null,
      fanoutMaxMs: fanout?.max ?? null,
      subscribers: fanout?.subscribers ?? null,
      eventsPerSec: fanout?.eventsPerSec ?? null,
      delivered: fanout?.delivered ?? null,
      expectedDeliveries: fanout?.expected ?? null,
      slowConsumersClosed: fanout?.slowClosed ?? null,
      serverCpuPctDuringFanout: fanout?.serverCpuPct ?? null,
      clientCpuPctDuringFanout: fanout?.clientCpuPct ?? null,
      subscriberClient: fanout ? (graphqlWsClient ? 'graphql-ws' : 'lean') : null,
      subscriberErrors: fanout?.subscriberErrors ?? null,
      postgresCpuPctDuringFanout: fanout?.postgresCpuPct ?? null,
      feedLagP99UpToMs: fanout?.feedLagP99UpToMs ?? null,
      liveFeed: redis ? 'redis' : 'in-process',
      apiWorkers,
      devicesServerProcesses: devicesAtRate.serverProcesses ?? null,
      devicesCacheHitPct,
      churnPerSec,
      churnAppended: churned?.appended ?? null,
      churnErrors: churned?.errors ?? null,
    });
  } finally {
    if (process.env.BENCH_SERVER_LOG) console.error(server.output().slice(-20_000));
    await server.stop();
    await store.close();
    await deployment.dispose();
  }
};
