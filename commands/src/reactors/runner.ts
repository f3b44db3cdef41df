import { type Clock, type EventStore, type RecordedEvent, START, type Subscription } from '@netpulse/domain';
import { errorSummary } from './error-summary.js';
import {
  type CheckpointStore,
  type ExclusiveLock,
  noopReactorMetrics,
  type ReactorLease,
  type ReactorLogger,
  type ReactorMetrics,
} from './ports.js';
import type { Reactor, ReactorContext } from './reactor.js';
import { createCommandSender } from './send.js';

export type ReactorRunnerOptions = Readonly<{
  reactor: Reactor;
  store: EventStore;
  checkpoints: CheckpointStore;
  lock: ExclusiveLock;
  clock: Clock;
  logger: ReactorLogger;
  metrics?: ReactorMetrics;
  /** How often a standby instance tries to take over. */
  standbyRetryMs?: number;
}>;

export type ReactorRunnerStatus = 'standby' | 'active' | 'stopped';

export type ReactorRunner = Readonly<{
  status(): ReactorRunnerStatus;
  /** Stops after the batch in flight; releases the lease so a standby takes over at once. */
  stop(): Promise<void>;
}>;

const sleep = (ms: number, cancel: Promise<void>) =>
  Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), cancel]);

/**
 * Runs one reactor: waits for its lease (one active instance per reactor), subscribes from the
 * stored checkpoint, hands each batch to the reactor and stores the batch's checkpoint only after
 * the reactor's commands were appended. A failing batch is retried from the last checkpoint after a
 * back-off (the subscription's), a lost lease ends the subscription and the runner goes back to
 * standby, then resubscribes from the stored checkpoint once it holds the lease again.
 */
export const startReactorRunner = (options: ReactorRunnerOptions): ReactorRunner => {
  const { reactor, store, checkpoints, lock, clock } = options;
  const name = reactor.name;
  const metrics = options.metrics ?? noopReactorMetrics;
  const logger = options.logger;
  const context: ReactorContext = {
    reactorName: name,
    store,
    clock,
    logger,
    metrics,
    send: createCommandSender({ store, reactorName: name, logger, metrics }),
  };
  let status: ReactorRunnerStatus = 'standby';
  let stopping = false;
  let wakeStop = () => {};
  const stopped = new Promise<void>((resolve) => {
    wakeStop = resolve;
  });

  const onBatch = async (events: readonly RecordedEvent[], checkpoint: string) => {
    await reactor.handle(events, context);
    await checkpoints.save(name, checkpoint);
    metrics.eventsHandled(name, events.length);
    const newest = events[events.length - 1];
    if (newest)
      metrics.checkpointLag(name, Math.max(0, (clock.now().getTime() - newest.recordedAt.getTime()) / 1000));
  };

  /** Periodic work, never overlapping itself; failures are logged and tried again next time. */
  const startTicks = (): (() => Promise<void>) => {
    const tick = reactor.tick;
    if (!tick) return async () => {};
    let running: Promise<void> = Promise.resolve();
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      running = tick
        .run(context)
        .catch((error: unknown) => {
          metrics.failure(name, 'tick');
          logger.warn({ reactor: name, err: errorSummary(error) }, 'reactor tick failed; will retry');
        })
        .finally(() => {
          busy = false;
        });
    }, tick.intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  };

  /** Runs the reactor while `lease` holds; resolves when it is lost or the runner stops. */
  const runActive = async (lease: ReactorLease) => {
    let subscription: Subscription | null = null;
    let stopTicks = async () => {};
    let lost = false;
    const leaseLost = lease.lost.then((reason) => {
      lost = true;
      return reason;
    });
    try {
      await reactor.activate?.(context);
      const after = (await checkpoints.load(name)) ?? START;
      status = 'active';
      metrics.active(name, true);
      logger.info({ reactor: name, after }, 'reactor active');
      subscription = store.subscribe({
        after,
        filter: reactor.filter,
        ...(reactor.batchSize !== undefined ? { batchSize: reactor.batchSize } : {}),
        onBatch: async (events, checkpoint) => {
          if (lost) throw new Error(`reactor ${name} lost its lease`);
          await onBatch(events, checkpoint);
        },
        onError: (error) => {
          metrics.failure(name, 'batch');
          logger.warn({ reactor: name, err: errorSummary(error) }, 'reactor batch failed; retrying');
        },
      });
      stopTicks = startTicks();
      const reason = await Promise.race([leaseLost, stopped.then(() => null)]);
      if (reason !== null) {
        metrics.failure(name, 'lease-lost');
        logger.warn(
          { reactor: name, err: errorSummary(reason) },
          'reactor lease lost; standing by to resubscribe',
        );
      }
    } finally {
      lost = true;
      await stopTicks();
      await subscription?.close();
      metrics.active(name, false);
      if (!stopping) status = 'standby';
      await lease.release().catch(() => {});
    }
  };

  const loop = (async () => {
    const retryMs = options.standbyRetryMs ?? 5_000;
    while (!stopping) {
      let lease: ReactorLease | null = null;
      try {
        lease = await lock.tryAcquire(name);
      } catch (error) {
        metrics.failure(name, 'lock');
        logger.warn(
          { reactor: name, err: errorSummary(error) },
          'could not try the reactor lock; will retry',
        );
      }
      if (!lease) {
        await sleep(retryMs, stopped);
        continue;
      }
      try {
        await runActive(lease);
      } catch (error) {
        // activate() or loading the checkpoint failed: back to standby, then try again.
        metrics.failure(name, 'batch');
        logger.warn({ reactor: name, err: errorSummary(error) }, 'reactor could not start; will retry');
        await sleep(retryMs, stopped);
      }
    }
  })();

  return {
    status: () => status,
    stop: async () => {
      stopping = true;
      wakeStop();
      await loop;
      status = 'stopped';
    },
  };
};
