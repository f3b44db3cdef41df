import type { ExclusiveLock, ReactorLease } from '@netpulse/commands';
import type { Logger } from '../../../runtime/logger.js';
import type { FeedPublisher } from './feed-publisher.js';

export type PublisherElectionOptions = Readonly<{
  /** Null when this process publishes for itself only (in-process transport): no election. */
  lock: ExclusiveLock | null;
  lockName: string;
  standbyRetryMs: number;
  logger: Logger;
  start: () => Promise<FeedPublisher>;
  onActive: (active: boolean) => void;
}>;

export type PublisherElection = Readonly<{ active: () => boolean; stop: () => Promise<void> }>;

const alwaysHeld: ReactorLease = { lost: new Promise(() => {}), release: async () => {} };

/**
 * Runs the feed publisher while this process holds the lock, one publisher per deployment; the others
 * stand by and try again every `standbyRetryMs`, so one takes over when the holder's session ends. A
 * lost lease stops the publisher at once (a successor may already run).
 */
export const runPublisherElection = (options: PublisherElectionOptions): PublisherElection => {
  const { lock, logger } = options;
  let active = false;
  let stopping = false;
  let wakeStop = () => {};
  const stopped = new Promise<null>((resolve) => {
    wakeStop = () => resolve(null);
  });
  const pause = (ms: number) =>
    Promise.race([new Promise((resolve) => setTimeout(resolve, ms).unref()), stopped]);

  const serve = async (lease: ReactorLease) => {
    let publisher: FeedPublisher | null = null;
    try {
      publisher = await options.start();
      active = true;
      options.onActive(true);
      const lost = await Promise.race([lease.lost, stopped]);
      if (lost !== null) logger.warn({ err: lost }, 'live feed: publisher lock lost; standing by');
    } finally {
      active = false;
      options.onActive(false);
      await publisher
        ?.stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'live feed: publisher stop'));
      await lease.release().catch(() => {});
    }
  };

  const loop = (async () => {
    while (!stopping) {
      let lease: ReactorLease | null = null;
      try {
        lease = lock ? await lock.tryAcquire(options.lockName) : alwaysHeld;
      } catch (error) {
        logger.warn({ err: error }, 'live feed: could not try the publisher lock; will retry');
      }
      if (lease && !stopping) {
        try {
          await serve(lease);
        } catch (error) {
          logger.warn({ err: error }, 'live feed: publisher could not start; will retry');
        }
      } else if (lease) {
        await lease.release().catch(() => {});
      }
      if (!stopping) await pause(options.standbyRetryMs);
    }
  })();

  return {
    active: () => active,
    stop: async () => {
      stopping = true;
      wakeStop();
      await loop;
    },
  };
};
