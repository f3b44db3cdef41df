import { type EventStore, START, type Subscription, streamCategories } from '@netpulse/domain';
import { errorSummary, type Logger } from '../logger.js';
import type { TargetChange } from './device-target.js';
import type { TargetSet } from './target-set.js';

export type DeviceFollowerOptions = Readonly<{
  store: EventStore;
  targets: TargetSet;
  logger: Logger;
  onChanges: (changes: readonly TargetChange[]) => void;
  /** Called once, the first time the subscription has delivered every device event visible. */
  onFirstCaughtUp?: () => void;
}>;

/**
 * Keeps the target set in step with device events, live: one subscription to the `device` category
 * (never one per device), replayed from the start on every boot because the fold lives in memory.
 */
export const followDevices = (options: DeviceFollowerOptions): Subscription => {
  const { store, targets, logger, onChanges } = options;
  let caughtUp = false;
  let lastErrorLogAt = 0;
  return store.subscribe({
    after: START,
    filter: { categories: [streamCategories.device] },
    onBatch: async (events) => {
      const changes: TargetChange[] = [];
      for (const event of events) {
        const { change, rejected } = targets.apply(event);
        if (rejected) {
          logger.warn(
            { eventId: event.id, type: event.type, streamId: event.streamId },
            'device event ignored: invalid',
          );
        }
        if (change) changes.push(change);
      }
      if (changes.length > 0) onChanges(changes);
    },
    onCaughtUp: () => {
      if (caughtUp) return;
      caughtUp = true;
      logger.info({ devices: targets.size }, 'poller: device list loaded');
      options.onFirstCaughtUp?.();
    },
    onError: (error) => {
      // The subscription retries on its own; one line per minute is enough to show it is struggling.
      const now = Date.now();
      if (now - lastErrorLogAt < 60_000) return;
      lastErrorLogAt = now;
      logger.warn({ err: errorSummary(error) }, 'poller: device subscription error, retrying');
    },
  });
};
