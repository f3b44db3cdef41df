import type {
  Checkpoint,
  ReadAllOptions,
  ReadAllResult,
  SubscribeOptions,
  Subscription,
} from '@netpulse/domain';
import { sleep } from '../abortable-sleep.js';

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

/** A page read, with the wake-up generation from before the read (what "changed since" means). */
type Page = Readonly<{ result: ReadAllResult; heldBack: boolean; seen: number }>;

/**
 * Catch-up then live over the same ordered read, so the switch between the two can neither skip nor
 * repeat an event. Failures (database gone, handler threw) are retried with back-off from the last
 * accepted checkpoint, forever, until closed.
 *
 * While catching up, the page after a batch is read while `onBatch` handles that batch (one page
 * ahead, never more), so the database works while the handler does. The read-ahead starts at the batch's own checkpoint,
 * exactly where the next read would start anyway, so it changes when a page is read, not what it
 * holds. It is used only once `onBatch` accepted the batch; if `onBatch` fails, the page is dropped
 * and the subscription reads again from the last accepted checkpoint.
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

  const readAfter = async (after: Checkpoint): Promise<Page> => {
    const seen = deps.generation();
    const { result, heldBack } = await deps.readAll({
      after,
      limit: batchSize,
      ...(options.filter ? { filter: options.filter } : {}),
    });
    return { result, heldBack, seen };
  };

  /**
   * The page after `page`: at once while catching up, once something changed when caught up. Null
   * when the subscription closed or the page was dropped (`dropped()`) before it was read.
   */
  const readNext = async (page: Page, dropped: () => boolean): Promise<Page | null> => {
    if (page.result.caughtUp) {
      await Promise.race([deps.waitForChange(page.seen, deps.pollIntervalMs, page.heldBack), closing]);
      if (options.gatherMs && !closed) await sleep(options.gatherMs, closing);
    }
    if (closed || dropped()) return null;
    return readAfter(page.result.checkpoint);
  };

  const run = async (): Promise<void> => {
    let ahead: Promise<Page | null> | null = null;
    let drop = () => {};
    // Read-aheads not settled yet, dropped ones included: close() waits for them.
    const reading = new Set<Promise<unknown>>();
    try {
      while (!closed) {
        try {
          const page = ahead ? await ahead : await readAfter(checkpoint);
          ahead = null;
          if (closed || !page) return;
          const batch = page.result;
          let isDropped = false;
          drop = () => {
            isDropped = true;
          };
          // Read ahead only while catching up. Live, the next page is read once this batch is
          // handled, so it carries everything appended meanwhile: reading it early would split the
          // stream into more, smaller batches (measured: the pipeline benchmark's p99 rose from a
          // median of ~350 to ~470 ms).
          const readAhead = () => {
            const next = readNext(page, () => isDropped);
            // Awaited by the loop, or dropped: never an unhandled rejection meanwhile.
            const settled = next.catch(() => {});
            reading.add(settled);
            void settled.then(() => reading.delete(settled));
            return next;
          };
          if (!batch.caughtUp) ahead = readAhead();
          if (batch.events.length > 0) {
            await options.onBatch(batch.events, batch.checkpoint);
            reportedCaughtUp = false;
          }
          if (batch.caughtUp) ahead = readAhead();
          checkpoint = batch.checkpoint;
          backoffMs = 50;
          if (batch.caughtUp && !reportedCaughtUp) {
            options.onCaughtUp?.(checkpoint);
            reportedCaughtUp = true;
          }
        } catch (error) {
          // The page read ahead follows a batch that was not accepted (or is the read that failed).
          drop();
          ahead = null;
          if (closed) return;
          options.onError?.(error);
          await sleep(backoffMs, closing);
          backoffMs = Math.min(backoffMs * 2, 5_000);
        }
      }
    } finally {
      // Nothing of this subscription may still use the pool once close() resolved.
      drop();
      await Promise.all(reading);
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
