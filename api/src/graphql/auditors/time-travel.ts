import { deviceDecider, type EventStore, streamCategories, streamId } from '@netpulse/domain';
import { alertSnapshot, deviceSnapshot, instanceEvolver, type ReplayPoint } from './snapshots.js';

/** A moment and/or a version to stop at; neither means "now". Moments compare with recording time. */
export type Cut = Readonly<{ at?: Date | null; version?: bigint | null }>;

const cutOptions = (cut: Cut) => ({
  ...(cut.at ? { asOf: cut.at } : {}),
  ...(cut.version === null || cut.version === undefined ? {} : { toVersion: cut.version }),
});

const nobody: ReplayPoint = { version: null, asOf: null };

/**
 * A device as it was, replayed from its stream with the decider's own `evolve`. Another
 * organization's device answers exactly like one that never existed.
 */
export const deviceAsOf = async (
  store: EventStore,
  organizationId: string,
  deviceId: string,
  cut: Cut,
  now: Date,
) => {
  const { state, version } = await store.aggregateStream(
    streamId(streamCategories.device, deviceId),
    deviceDecider,
    cutOptions(cut),
  );
  if (state.status !== 'unregistered' && state.organizationId !== organizationId)
    return deviceSnapshot(deviceId, { status: 'unregistered' }, { ...nobody, asOf: cut.at ?? null }, now);
  return deviceSnapshot(deviceId, state, { version, asOf: cut.at ?? null }, now);
};

/** One alert instance as it was, from the stream of its reduction key (located by the caller). */
export const alertAsOf = async (
  store: EventStore,
  organizationId: string,
  located: Readonly<{ alertId: string; alertKey: string }> | null,
  alertId: string,
  cut: Cut,
) => {
  const asOf = cut.at ?? null;
  if (!located) return alertSnapshot(alertId, null, { status: 'none' }, { ...nobody, asOf });
  const { state, version } = await store.aggregateStream(
    streamId(streamCategories.alert, located.alertKey),
    instanceEvolver(alertId),
    cutOptions(cut),
  );
  if (state.status !== 'none' && state.organizationId !== organizationId)
    return alertSnapshot(alertId, null, { status: 'none' }, { ...nobody, asOf });
  return alertSnapshot(alertId, located.alertKey, state, { version, asOf });
};
