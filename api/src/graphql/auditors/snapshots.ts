import {
  type AlertEvent,
  type AlertState,
  type DeviceState,
  type Evolver,
  evolveAlert,
  initialAlertState,
  isInMaintenance,
} from '@netpulse/domain';

/** Where a replay stopped: the version of the last event folded, and the moment asked for. */
export type ReplayPoint = Readonly<{ version: bigint | null; asOf: Date | null }>;

/**
 * An alert stream holds every instance of its reduction key, and a raise after a resolution
 * replaces the decider's state. Folding only the events of one instance keeps that instance's
 * story, including after its key moved on to a newer one.
 */
export const instanceEvolver = (alertId: string): Evolver<AlertState, AlertEvent> => ({
  initialState: initialAlertState,
  evolve: (state, event) => (event.data.alertId === alertId ? evolveAlert(state, event) : state),
});

export const deviceSnapshot = (deviceId: string, state: DeviceState, point: ReplayPoint, now: Date) => {
  if (state.status === 'unregistered')
    return { deviceId, ...point, exists: false, lifecycle: 'unregistered', state };
  const active = state.status === 'active' ? state : null;
  return {
    deviceId,
    ...point,
    exists: true,
    lifecycle: state.status,
    name: state.profile.name,
    address: state.profile.address,
    status: active?.health ?? null,
    monitoringPaused: active ? active.monitoring === 'paused' : null,
    inMaintenance: isInMaintenance(state, point.asOf ?? now),
    tags: state.profile.tags,
    state,
  };
};

/** Open, acknowledged or resolved as the schema's AlertState names it. */
const alertStateOf = (state: Exclude<AlertState, { status: 'none' }>) => {
  if (state.status === 'resolved') return 'resolved';
  return state.instance.acknowledged ? 'acknowledged' : 'open';
};

export const alertSnapshot = (
  alertId: string,
  alertKey: string | null,
  state: AlertState,
  point: ReplayPoint,
) => {
  if (state.status === 'none')
    return { alertId, alertKey, ...point, exists: false, state: null, snapshot: state };
  const { instance } = state;
  const resolution = state.status === 'resolved' ? state.resolution : null;
  return {
    alertId,
    alertKey: instance.alertKey,
    ...point,
    exists: true,
    deviceId: instance.deviceId,
    condition: instance.condition,
    summary: instance.summary,
    state: alertStateOf(state),
    severity: instance.severity,
    count: instance.count,
    escalationLevel: instance.escalationLevel,
    suppressed: instance.suppressed !== null,
    raisedAt: new Date(instance.raisedAt),
    acknowledgedBy: instance.acknowledged?.by ?? null,
    acknowledgedAt: instance.acknowledged ? new Date(instance.acknowledged.at) : null,
    acknowledgementNote: instance.acknowledged?.note ?? null,
    resolvedAt: resolution ? new Date(resolution.at) : null,
    resolvedBy: resolution?.by ?? null,
    snapshot: state,
  };
};
