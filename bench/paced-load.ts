/**
 * An open-loop load at an even rate: request n is due at start + n / rate, and its latency counts
 * from when it was due, so time spent waiting for a free connection is included (no coordinated
 * omission). autocannon's `overallRate` gives each connection its share of a second and lets it send
 * that share back to back from the start of the second: at 1,000 req/s over 50 connections the
 * server meets 50 requests at once for as long as the share takes, then nothing until the next second.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export type PacedLoadOptions = Readonly<{
  url: string;
  headers: Readonly<Record<string, string>>;
  body: () => string;
  rate: number;
  seconds: number;
  /** Most requests in flight at once (keep-alive connections). */
  connections: number;
  /** False when a response shows a failure (GraphQL errors). */
  verify: (body: string) => boolean;
}>;

export type PacedLoadResult = Readonly<{
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  failures: number;
  /**
   * This client's own event-loop delay during the load (p99, max): a stall here (its garbage
   * collector, another task) delays sending and reading, and counts in the latencies above.
   */
  clientDelayP99Ms: number;
  clientDelayMaxMs: number;
}>;

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const round = (ms: number) => Math.round(ms * 10) / 10;

export const pacedLoad = async (options: PacedLoadOptions): Promise<PacedLoadResult> => {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let failures = 0;
  const send = (dueAt: number) =>
    new Promise<void>((resolve) => {
      const body = options.body();
      const call = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            latencies.push(performance.now() - dueAt);
            if (response.statusCode !== 200 || !options.verify(Buffer.concat(chunks).toString())) failures++;
            resolve();
          });
        },
      );
      call.on('error', () => {
        failures++;
        resolve();
      });
      call.end(body);
    });

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const intervalMs = 1_000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const startedAt = performance.now();
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
    for (; sent < due; sent++) inFlight.push(send(startedAt + sent * intervalMs));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - startedAt) / 1_000;
  loopDelay.disable();
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    rps: Math.round(sorted.length / elapsedS),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    p999: round(percentile(sorted, 99.9)),
    max: round(sorted.at(-1) ?? Number.NaN),
    failures,
    clientDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
    clientDelayMaxMs: round(loopDelay.max / 1e6),
  };
};
