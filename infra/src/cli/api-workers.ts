import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '../runtime/logger.js';
import { isWorkerMessage, type MetricsJson, type PrimaryMessage } from './api-group-messages.js';

export type ApiWorkersOptions = Readonly<{
  count: number;
  /** Added to each worker's environment (the database the primary opened, when it is embedded). */
  env: Readonly<Record<string, string>>;
  /** The primary's own metrics (projector, reactors, poller), served with the workers' by every worker. */
  registry: Registry;
  logger: Logger;
  /** A worker that does not answer a metrics request within this long is left out of that scrape. */
  metricsTimeoutMs?: number;
  /** A worker that stops must exit within this long, else it is killed. */
  stopTimeoutMs?: number;
  /**
   * True once this process has been asked to stop (its signal handling is the caller's). Ctrl-C
   * signals the whole process group: the workers stop on their own at once, and the primary, which
   * stops its other roles first, must not take their exits for deaths to repair.
   */
  stopAsked: () => boolean;
}>;

export type ApiWorkers = Readonly<{
  /** Process ids of the running workers. */
  pids: () => number[];
  stop: () => Promise<void>;
}>;

/** A worker that dies soon after starting is restarted after a growing pause, not in a tight loop. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const STABLE_AFTER_MS = 30_000;

/**
 * Runs the HTTP API in `count` worker processes (node:cluster) that share the listening port, the
 * primary handing connections round-robin. Workers start one after another (the first one migrates
 * the API's tables and bootstraps the first administrator, the others find them done). A worker that
 * dies is replaced; `stop` ends them all.
 */
export const startApiWorkers = async (options: ApiWorkersOptions): Promise<ApiWorkers> => {
  const { count, logger } = options;
  const log = logger.child({ component: 'api-workers' });
  const metricsTimeoutMs = options.metricsTimeoutMs ?? 2_000;
  let stopping = false;
  /** Stopping, or about to: no worker is replaced then. */
  const halted = () => stopping || options.stopAsked();
  let nextRequest = 0;
  const pendingMetrics = new Map<number, (metrics: MetricsJson) => void>();
  const workers = new Set<Worker>();
  const restartTimers = new Set<NodeJS.Timeout>();

  const ownMetricsOf = (worker: Worker) =>
    new Promise<MetricsJson | null>((resolve) => {
      const id = nextRequest++;
      const timer = setTimeout(() => {
        pendingMetrics.delete(id);
        resolve(null);
      }, metricsTimeoutMs);
      pendingMetrics.set(id, (metrics) => {
        clearTimeout(timer);
        pendingMetrics.delete(id);
        resolve(metrics);
      });
      const request: PrimaryMessage = { kind: 'netpulse:own-metrics-request', id };
      worker.send(request);
    });

  /** The group's metrics: the primary's and every worker's, summed (prom-client's cluster aggregation). */
  const groupMetrics = async () => {
    const answers = await Promise.all(
      [...workers].filter((worker) => worker.isConnected()).map((worker) => ownMetricsOf(worker)),
    );
    const all = [await options.registry.getMetricsAsJSON(), ...answers.filter((a) => a !== null)];
    const aggregated = AggregatorRegistry.aggregate(all);
    return { contentType: aggregated.contentType, body: await aggregated.metrics() };
  };

  const listen = (worker: Worker) => {
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.kind === 'netpulse:own-metrics') pendingMetrics.get(message.id)?.(message.metrics);
      if (message.kind === 'netpulse:group-metrics-request')
        void groupMetrics().then(
          (metrics) => {
            const answer: PrimaryMessage = { kind: 'netpulse:group-metrics', id: message.id, ...metrics };
            if (worker.isConnected()) worker.send(answer);
          },
          (error: unknown) => log.warn({ err: error }, 'could not gather the group metrics'),
        );
    });
  };

  /** Forks one worker and resolves once its API listens; rejects when it exits first. */
  const fork = async (): Promise<Worker> => {
    const worker = cluster.fork({ ...options.env });
    workers.add(worker);
    listen(worker);
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!isWorkerMessage(message) || message.kind !== 'netpulse:api-ready') return;
        worker.off('exit', onExit);
        worker.off('message', onMessage);
        resolve();
      };
      const onExit = (code: number | null, signal: string | null) => {
        worker.off('message', onMessage);
        workers.delete(worker);
        reject(new Error(`API worker exited during start-up (code ${code}, signal ${signal})`));
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });
    await ready;
    return worker;
  };

  /** Forks a replacement after a pause that grows with each quick failure in a row. */
  const restart = (attempt: number) => {
    const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      if (halted()) return;
      const startedAt = Date.now();
      fork().then(
        (worker) => {
          log.info({ pid: worker.process.pid }, 'API worker restarted');
          supervise(worker, startedAt, attempt);
        },
        (error: unknown) => {
          if (halted()) return;
          log.error({ err: error }, 'API worker failed to restart');
          restart(attempt + 1);
        },
      );
    }, delay);
    restartTimers.add(timer);
    return delay;
  };

  const supervise = (worker: Worker, startedAt: number, failures: number) => {
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      if (halted()) return;
      const attempt = Date.now() - startedAt < STABLE_AFTER_MS ? failures + 1 : 0;
      const restartInMs = restart(attempt);
      log.error({ pid: worker.process.pid, code, signal, restartInMs }, 'API worker died; restarting it');
    });
  };

  const stopAll = async () => {
    stopping = true;
    for (const timer of restartTimers) clearTimeout(timer);
    await Promise.all(
      [...workers].map(async (worker) => {
        if (worker.isDead()) return;
        const exited = once(worker, 'exit');
        worker.process.kill('SIGTERM');
        const timer = setTimeout(() => {
          log.warn({ pid: worker.process.pid }, 'API worker did not stop in time; killing it');
          worker.process.kill('SIGKILL');
        }, options.stopTimeoutMs ?? 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  try {
    for (let i = 0; i < count; i++) {
      const startedAt = Date.now();
      supervise(await fork(), startedAt, 0);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  log.info({ workers: count }, 'API workers listening');
  return {
    pids: () => [...workers].flatMap((worker) => (worker.process.pid ? [worker.process.pid] : [])),
    stop: stopAll,
  };
};
