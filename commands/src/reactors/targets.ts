import {
  type AlertCommand,
  AlertCommand as AlertCommandSchema,
  type AlertEvent,
  type AlertState,
  alertDecider,
  type DeviceCommand,
  DeviceCommand as DeviceCommandSchema,
  type DeviceEvent,
  type DeviceState,
  deviceDecider,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import type { CommandTarget } from './send.js';

/**
 * A device's health decisions are stale when its status changed later than `now`: the observation
 * being replayed was already judged (or superseded) by the run that crashed.
 */
const deviceStale = (state: DeviceState, now: Date): boolean =>
  state.status === 'active' &&
  state.statusChangedAt !== null &&
  Date.parse(state.statusChangedAt) > now.getTime();

export const deviceTarget = (deviceId: string): CommandTarget<DeviceState, DeviceCommand, DeviceEvent> => ({
  streamId: streamId(streamCategories.device, deviceId),
  decider: deviceDecider,
  schema: DeviceCommandSchema,
  stale: deviceStale,
});

/** When a reactor last decided about the key: the last raise or repeat, or the resolution. */
export const lastAlertDecisionAt = (state: AlertState): number | null => {
  if (state.status === 'none') return null;
  const seen = Date.parse(state.instance.lastSeenAt);
  return state.status === 'resolved' ? Math.max(seen, Date.parse(state.resolution.at)) : seen;
};

const alertStale = (state: AlertState, now: Date): boolean => {
  const last = lastAlertDecisionAt(state);
  return last !== null && last > now.getTime();
};

export const alertTarget = (alertKey: string): CommandTarget<AlertState, AlertCommand, AlertEvent> => ({
  streamId: streamId(streamCategories.alert, alertKey),
  decider: alertDecider,
  schema: AlertCommandSchema,
  stale: alertStale,
});

/** Escalations are decided on the wall clock, never on replayed causes: no staleness applies. */
export const alertSweepTarget = (alertKey: string): CommandTarget<AlertState, AlertCommand, AlertEvent> => ({
  ...alertTarget(alertKey),
  stale: () => false,
});
