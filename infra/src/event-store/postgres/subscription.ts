import type {
  Checkpoint,
  ReadAllOptions,
  ReadAllResult,
  SubscribeOptions,
  Subscription,
} from '@netpulse/domain';

export type SubscriptionDeps = Readonly<{
  /** A page, and whether an append in flight may hide events past it (see readPage). */
  readAll: (options: ReadAllOptions) => Promise<{ result: ReadAllResult; heldBack: boolean }>;
  /** Current wake-up generation and a wait for it to change. */
  generation: () => number;
  /**
   * Waits for an append to a table this subscription reads, or to any table when `anyTable` (a
   * read held back by an append in flight elsewhere must wake when that one commits).
   */
  waitForChange: (seen: number, timeoutMs: number, anyTable: boolean) => Promise<void>;
  /**
   * Upper bound on the wait when caught up: rows hidden behind a still-running transaction become
   * visible without a notification of their own when that transaction was not an append.
   */
  pollIntervalMs: number;
}>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Catch-up then live over the same ordered read, so the switch between the two can neither skip nor
 * repeat an event. Failures (database gone, handler threw) are retried with back-off from the last
 * accepted checkpoint, forever, until closed.
 */
export const startPollingSubscription = (deps: SubscriptionDeps, options: SubscribeOptions): Subscription => {
  let checkpoint: Checkpoint = options.after;
  let closed = false;
  let backoffMs = 50;
  let reportedCaughtUp = false;
  let wakeOnClose = () => {};
  const closing = new Promise<void>((resolve) => {
    wakeOnClose = resolve;
  });
  const batchSize = options.batchSize ?? 500;

  const run = async (): Promise<void> => {
    while (!closed) {
      const seen = deps.generation();
      try {
        const { result: batch, heldBack } = await deps.readAll({
          after: checkpoint,
          limit: batchSize,
          ...(options.filter ? { filter: options.filter } : {}),
        });
        if (closed) return;
        if (batch.events.length > 0) {
          await options.onBatch(batch.events, batch.checkpoint);
          reportedCaughtUp = false;
        }
        checkpoint = batch.checkpoint;
        backoffMs = 50;
        if (batch.caughtUp) {
          if (!reportedCaughtUp) options.onCaughtUp?.(checkpoint);
          reportedCaughtUp = true;
          await Promise.race([deps.waitForChange(seen, deps.pollIntervalMs, heldBack), closing]);
        }
      } catch (error) {
        if (closed) return;
        options.onError?.(error);
        await Promise.race([sleep(backoffMs), closing]);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  };

  const loop = run();
  return {
    get checkpoint() {
      return checkpoint;
    },
    async close() {
      closed = true;
      wakeOnClose();
      await loop;
    },
  };
};
