import type { EventStore } from '@netpulse/domain';
import { appendOf, icmpObservation, observations } from './fleet-history.ts';

export type Churn = Readonly<{ stop: () => Promise<{ appended: number; errors: number }> }>;

/**
 * Observations of a registered fleet appended at `perSec` (every 100 ms a tenth of a second's worth,
 * to devices in turn), as pollers keep the devices read model changing under a dashboard's reads.
 */
export const startChurn = (
  store: EventStore,
  options: Readonly<{ perSec: number; organizationId: string; deviceIds: readonly string[] }>,
): Churn => {
  const perTick = Math.max(1, Math.round(options.perSec / 10));
  let appended = 0;
  let errors = 0;
  let n = 0;
  let busy: Promise<void> = Promise.resolve();
  const tick = () => {
    const at = new Date().toISOString();
    const batch = Array.from({ length: perTick }, () => {
      const deviceId = options.deviceIds[n % options.deviceIds.length]!;
      n += 1;
      return appendOf(observations(deviceId), [icmpObservation(deviceId, at, n, options.organizationId)]);
    });
    busy = busy.then(() =>
      store.appendMany(batch).then(
        () => {
          appended += batch.length;
        },
        () => {
          errors += 1;
        },
      ),
    );
  };
  const timer = setInterval(tick, 100);
  return {
    stop: async () => {
      clearInterval(timer);
      await busy;
      return { appended, errors };
    },
  };
};
