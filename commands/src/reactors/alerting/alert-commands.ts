import {
  type AlertState,
  alertDecider,
  alertInstanceIdOf,
  type DeviceState,
  deviceDecider,
  type HealthStatus,
  type RaiseAlert,
  type Suppression,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import type { Cause } from '../cause.js';
import type { ReactorContext } from '../reactor.js';
import { alertTarget } from '../targets.js';
import type { OpenAlerts } from './open-alerts.js';

export type RaiseRequest = Readonly<
  Omit<RaiseAlert['data'], 'alertId' | 'suppression'> & { suppression: Suppression | null }
>;

/**
 * Raises (or repeats) the alert of a key. The instance id derives from the cause, so a replay names
 * the instance it already opened, and a recurrence after resolution opens a new one.
 */
export const raiseAlert = async (
  context: ReactorContext,
  openAlerts: OpenAlerts,
  cause: Cause,
  now: Date,
  request: RaiseRequest,
): Promise<void> => {
  const { alertKey } = request;
  const data: RaiseAlert['data'] = {
    ...request,
    summary: request.summary.slice(0, 500),
    alertId: alertInstanceIdOf(alertKey, cause.eventId),
  };
  await context.send({
    target: alertTarget(alertKey),
    cause,
    purpose: `raise:${alertKey}`,
    command: { type: 'RaiseAlert', data },
    now,
  });
  openAlerts.noteRaised(alertKey);
};

const loadAlert = async (context: ReactorContext, alertKey: string): Promise<AlertState> =>
  (await context.store.aggregateStream(streamId(streamCategories.alert, alertKey), alertDecider)).state;

/**
 * Resolves the key's open instance automatically. Never suppressed: a recovery is always recorded,
 * so an alert that was notified always gets its recovery notification.
 */
export const resolveIfOpen = async (
  context: ReactorContext,
  openAlerts: OpenAlerts,
  cause: Cause,
  now: Date,
  alertKey: string,
): Promise<void> => {
  const state = await loadAlert(context, alertKey);
  if (state.status !== 'open') {
    openAlerts.noteClosed(alertKey);
    return;
  }
  await context.send({
    target: alertTarget(alertKey),
    cause,
    purpose: `resolve:${alertKey}`,
    command: { type: 'ResolveAlert', data: { alertId: state.instance.alertId, automatic: true, note: null } },
    now,
  });
};

export const loadDevice = async (context: ReactorContext, deviceId: string): Promise<DeviceState> =>
  (await context.store.aggregateStream(streamId(streamCategories.device, deviceId), deviceDecider)).state;

export const parentHealthOf = async (
  context: ReactorContext,
  device: DeviceState,
): Promise<HealthStatus | null> => {
  if (device.status === 'unregistered' || !device.profile.parentId) return null;
  const parent = await loadDevice(context, device.profile.parentId);
  return parent.status === 'active' ? parent.health : null;
};
