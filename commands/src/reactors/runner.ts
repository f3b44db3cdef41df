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
import type { PipelinedReactor, Reactor, ReactorContext } from './reactor.js';
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

const isPipelined = (reactor: Reactor): reactor is PipelinedReactor =>
  typeof (reactor as Partial<PipelinedReactor>).dispatch === 'function';

export type ReactorRunnerStatus = 'standby' | 'active' | 'stopped';

export type ReactorRunner = Readonly<{
  status(): ReactorRunnerStatus;
  /** Stops after the batches in flight; releases the lease so a standby takes over at once. */
  stop(): Promise<void>;
}>;

const sleep = (ms: number, cancel: Promise<void>) =>
  Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), cancel]);

/**
 * Runs one reactor: waits for its lease (one active instance per reactor), subscribes from the
 * stored checkpoint, hands each batch to the reactor and stores the batch's checkpoint only after
 * the reactor's commands were appended (for a pipelined reactor: after its effects are durable, with
 * the next batch already dispatched; a failure there resubscribes from the stored checkpoint). A failing batch is retried from the last checkpoint after a
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

  const saveCheckpoint = async (events: readonly RecordedEvent[], checkpoint: string) => {
    await checkpoints.save(name, checkpoint);
    metrics.eventsHandled(name, events.length);
    const newest = events[events.length - 1];
    if (newest)
      metrics.checkpointLag(name, Math.max(0, (clock.now().getTime() - newest.recordedAt.getTime()) / 1000));
  };

  const onBatch = async (events: readonly RecordedEvent[], checkpoint: string) => {
    await reactor.handle(events, context);
    await saveCheckpoint(events, checkpoint);
  };

  /** Back-off before resubscribing after a pipelined batch failed; reset by a durable batch. */
  let pipelineBackoffMs = 50;

  /**
   * Batches of a pipelined reactor, at most two in flight. The subscription counts a batch as
   * accepted once it is dispatched, so a failure cannot be left to the subscription's retry (it
   * would resume after the failed batch): it fails every later batch and `failed` resolves, and
   * the runner resubscribes from the stored checkpoint.
   */
  const startPipeline = (pipelined: PipelinedReactor) => {
    let tail: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | null = null;
    let reportFailure: (error: unknown) => void = () => {};
    const failed = new Promise<unknown>((resolve) => {
      reportFailure = resolve;
    });
    const onPipelinedBatch = async (events: readonly RecordedEvent[], checkpoint: string) => {
      if (failure) throw failure.error;
      const { durable } = await pipelined.dispatch(events, context);
      const previous = tail;
      const done = (async () => {
        await previous;
        await durable;
        await saveCheckpoint(events, checkpoint);
        pipelineBackoffMs = 50;
      })();
      tail = done;
      done.catch((error: unknown) => {
        if (failure) return;
        failure = { error };
        reportFailure(error);
      });
      // Accept the next batch once the one before this is durable: two in flight at most.
      await previous;
    };
    return {
      onBatch: onPipelinedBatch,
      failed,
      /** Every dispatched batch acknowledged and checkpointed, or failed. */
      drained: () => tail.catch(() => {}),
    };
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
    const pipeline = isPipelined(reactor) ? startPipeline(reactor) : null;
    const handleBatch = pipeline?.onBatch ?? onBatch;
    let retryAfterMs = 0;
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
          await handleBatch(events, checkpoint);
        },
        onError: (error) => {
          metrics.failure(name, 'batch');
          logger.warn({ reactor: name, err: errorSummary(error) }, 'reactor batch failed; retrying');
        },
      });
      stopTicks = startTicks();
      const outcome = await Promise.race([
        leaseLost.then((reason) => ({ leaseLost: reason })),
        stopped.then(() => null),
        ...(pipeline ? [pipeline.failed.then((error) => ({ batchFailed: error }))] : []),
      ]);
      if (outcome && 'leaseLost' in outcome) {
        metrics.failure(name, 'lease-lost');
        logger.warn(
          { reactor: name, err: errorSummary(outcome.leaseLost) },
          'reactor lease lost; standing by to resubscribe',
        );
      } else if (outcome) {
        metrics.failure(name, 'batch');
        logger.warn(
          { reactor: name, err: errorSummary(outcome.batchFailed), retryInMs: pipelineBackoffMs },
          'reactor batch failed; resubscribing from the checkpoint',
        );
        retryAfterMs = pipelineBackoffMs;
        pipelineBackoffMs = Math.min(pipelineBackoffMs * 2, 5_000);
      }
    } finally {
      lost = true;
      await stopTicks();
      await subscription?.close();
      // Batches dispatched before: their checkpoints are stored once acknowledged, in order.
      await pipeline?.drained();
      metrics.active(name, false);
      if (!stopping) status = 'standby';
      await lease.release().catch(() => {});
    }
    if (retryAfterMs > 0) await sleep(retryAfterMs, stopped);
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
