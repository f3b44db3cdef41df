import type { ReadAllOptions, RecordedEvent } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { type SubscriptionDeps, startPollingSubscription } from './subscription.js';

/** A log of `size` events; checkpoints are the position as a string, 'start' before the first. */
const fakeLog = (size: number) => {
  const events = Array.from(
    { length: size },
    (_, i) =>
      ({
        id: `e${i + 1}`,
        type: 'DeviceObserved',
        data: {},
        streamId: `observations-d${i % 3}`,
        streamVersion: 0n,
        globalPosition: BigInt(i + 1),
        checkpoint: String(i + 1),
        recordedAt: new Date(0),
        metadata: {},
      }) as unknown as RecordedEvent,
  );
  const reads: Array<{ after: number; concurrent: number }> = [];
  let inFlight = 0;
  let failNextRead = false;
  const deps: SubscriptionDeps = {
    readAll: async (options: ReadAllOptions) => {
      const after = options.after === 'start' || options.after === undefined ? 0 : Number(options.after);
      inFlight += 1;
      reads.push({ after, concurrent: inFlight });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (failNextRead) {
          failNextRead = false;
          throw new Error('connection lost');
        }
        const page = events.slice(after, after + (options.limit ?? 500));
        const last = page[page.length - 1];
        return {
          result: {
            events: page,
            checkpoint: last ? last.checkpoint : String(after),
            caughtUp: after + page.length >= events.length,
          },
          heldBack: false,
        };
      } finally {
        inFlight -= 1;
      }
    },
    generation: () => 0,
    waitForChange: () => new Promise((resolve) => setTimeout(resolve, 5)),
    pollIntervalMs: 5,
  };
  return {
    deps,
    reads,
    failNextRead: () => {
      failNextRead = true;
    },
  };
};

const ids = (events: readonly RecordedEvent[]) => events.map((event) => event.id);
const expected = (count: number) => Array.from({ length: count }, (_, i) => `e${i + 1}`);

describe('PostgreSQL subscription read-ahead', () => {
  it('reads the next page while a batch is handled, one page ahead at most', async () => {
    const log = fakeLog(50);
    const delivered: string[] = [];
    const readAheadStarted: boolean[] = [];
    const caughtUp: string[] = [];
    const subscription = startPollingSubscription(log.deps, {
      after: 'start',
      batchSize: 10,
      onBatch: async (events, checkpoint) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        readAheadStarted.push(log.reads.some((read) => read.after === Number(checkpoint)));
        delivered.push(...ids(events));
      },
      onCaughtUp: (checkpoint) => caughtUp.push(checkpoint),
    });
    await expect.poll(() => caughtUp, { timeout: 5_000 }).toEqual(['50']);
    await subscription.close();
    expect(delivered).toEqual(expected(50));
    // Every batch but the last was handled while the page after it was read, each page read once.
    expect(readAheadStarted.slice(0, 4)).toEqual([true, true, true, true]);
    expect(log.reads.slice(0, 5).map((read) => read.after)).toEqual([0, 10, 20, 30, 40]);
    expect(Math.max(...log.reads.map((read) => read.concurrent))).toBe(1);
    expect(subscription.checkpoint).toBe('50');
  });

  it('drops the page read ahead when a batch fails and resumes from the last accepted batch', async () => {
    const log = fakeLog(40);
    const accepted: string[] = [];
    const errors: unknown[] = [];
    let failures = 0;
    const subscription = startPollingSubscription(log.deps, {
      after: 'start',
      batchSize: 10,
      onBatch: async (events) => {
        // Long enough for the next page to have been read ahead before this one fails.
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (events[0]?.id === 'e11' && failures < 2) {
          failures += 1;
          throw new Error('broker unavailable');
        }
        accepted.push(...ids(events));
      },
      onError: (error) => errors.push(error),
    });
    await expect.poll(() => accepted.length, { timeout: 5_000 }).toBe(40);
    await subscription.close();
    expect(accepted).toEqual(expected(40));
    expect(errors).toHaveLength(2);
    // Page e21.. was read ahead during each failed attempt, then read again after e11.. succeeded.
    expect(log.reads.filter((read) => read.after === 20).length).toBeGreaterThanOrEqual(3);
  });

  it('recovers when the read ahead itself fails, without repeating the accepted batch', async () => {
    const log = fakeLog(30);
    const accepted: string[] = [];
    const errors: unknown[] = [];
    const subscription = startPollingSubscription(log.deps, {
      after: 'start',
      batchSize: 10,
      onBatch: async (events) => {
        if (events[0]?.id === 'e1') log.failNextRead();
        await new Promise((resolve) => setTimeout(resolve, 5));
        accepted.push(...ids(events));
      },
      onError: (error) => errors.push(error),
    });
    await expect.poll(() => accepted.length, { timeout: 5_000 }).toBe(30);
    await subscription.close();
    expect(accepted).toEqual(expected(30));
    expect(errors).toHaveLength(1);
  });

  it('does not use the store after close resolved', async () => {
    const log = fakeLog(1_000);
    let batches = 0;
    const subscription = startPollingSubscription(log.deps, {
      after: 'start',
      batchSize: 10,
      onBatch: async () => {
        batches += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    await expect.poll(() => batches, { timeout: 5_000 }).toBeGreaterThan(2);
    await subscription.close();
    const reads = log.reads.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(log.reads.length).toBe(reads);
  });
});

/** A log that grows while the subscription follows it: wake-ups come from `append`, as NOTIFY's would. */
const growingLog = () => {
  const events: RecordedEvent[] = [];
  let woken = () => {};
  const waiters = new Set<() => void>();
  const deps: SubscriptionDeps = {
    readAll: async (options: ReadAllOptions) => {
      const after = options.after === 'start' || options.after === undefined ? 0 : Number(options.after);
      // What is in the log when the read is asked for: appends after that wait for the next read.
      const page = events.slice(after, after + (options.limit ?? 500));
      await new Promise((resolve) => setTimeout(resolve, 1));
      const last = page[page.length - 1];
      return {
        result: { events: page, checkpoint: last ? last.checkpoint : String(after), caughtUp: true },
        heldBack: false,
      };
    },
    generation: () => events.length,
    waitForChange: (seen) =>
      events.length > seen
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.add(() => {
              resolve();
              woken();
            });
          }),
    pollIntervalMs: 60_000,
  };
  const append = (...names: string[]) => {
    for (const name of names)
      events.push({
        id: name,
        type: 'DeviceObserved',
        data: {},
        streamId: 'observations-d1',
        streamVersion: BigInt(events.length),
        globalPosition: BigInt(events.length + 1),
        checkpoint: String(events.length + 1),
        recordedAt: new Date(0),
        metadata: {},
      } as unknown as RecordedEvent);
    for (const wake of waiters) wake();
    waiters.clear();
  };
  /** Resolves just after the next wake-up has been delivered to the subscription. */
  const nextWake = () =>
    new Promise<void>((resolve) => {
      woken = () => setTimeout(resolve, 0);
    });
  return { deps, append, nextWake };
};

describe('PostgreSQL subscription, caught up', () => {
  const batchesAfterTrickle = async (gatherMs: number) => {
    const log = growingLog();
    const batches: string[][] = [];
    let caughtUp = false;
    const subscription = startPollingSubscription(log.deps, {
      after: 'start',
      gatherMs,
      onBatch: async (events) => {
        batches.push(ids(events));
      },
      onCaughtUp: () => {
        caughtUp = true;
      },
    });
    await expect.poll(() => caughtUp).toBe(true);
    const woken = log.nextWake();
    log.append('e1');
    await woken;
    // Two more appends right after the subscription was woken by the first.
    log.append('e2', 'e3');
    await expect.poll(() => batches.flat().length).toBe(3);
    await subscription.close();
    return batches;
  };

  it('reads at once when woken without gatherMs: the first append is a batch of its own', async () => {
    expect(await batchesAfterTrickle(0)).toEqual([['e1'], ['e2', 'e3']]);
  });

  it('lets appends gather for gatherMs after a wake-up and reads them as one batch', async () => {
    expect(await batchesAfterTrickle(100)).toEqual([['e1', 'e2', 'e3']]);
  });
});
