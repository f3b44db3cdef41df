import type { EventStore } from '@netpulse/domain';
import {
  alertStream,
  append,
  deviceStream,
  fleetEvents,
  iso,
  observation,
  observationStream,
} from './fleet-events.js';

export const SCENARIO_ORG = 'org-projector';
export const SCENARIO_START = new Date('2026-11-20T10:00:00.000Z');

/**
 * A small fleet's history, appended through the real store in many small appends (so the log has
 * many transactions): 6 devices, ICMP and SNMP observations over 20 minutes, outages, an alert's
 * whole lifecycle, a maintenance window, a pause and a decommission.
 */
export const appendScenario = async (store: EventStore, round = 0): Promise<void> => {
  const e = fleetEvents(SCENARIO_ORG);
  const t = (seconds: number) => iso(SCENARIO_START, seconds + round * 3_600);
  const devices = Array.from({ length: 6 }, (_, i) => `r${round}-dev-${i}`);
  for (const [i, deviceId] of devices.entries())
    await store.appendMany([
      append(deviceStream(deviceId), [e.registered(deviceId, t(0), i > 0 ? { parentId: devices[0] } : {})]),
    ]);
  for (let minute = 0; minute < 20; minute++) {
    await store.appendMany(
      devices.map((deviceId, i) =>
        append(observationStream(deviceId), [
          observation(SCENARIO_ORG, deviceId, t(minute * 60), minute * 10 + i, 'icmp'),
          observation(SCENARIO_ORG, deviceId, t(minute * 60 + 30), minute * 10 + i, 'snmp', 2 + (i % 3)),
        ]),
      ),
    );
    if (minute === 1)
      await store.appendMany(
        devices.map((deviceId) =>
          append(deviceStream(deviceId), [e.statusChanged(deviceId, t(90), 'unknown', 'up')]),
        ),
      );
    if (minute === 5) {
      await store.appendMany([
        append(deviceStream(devices[1]!), [e.statusChanged(devices[1]!, t(300), 'up', 'down')]),
      ]);
      await store.appendMany([
        append(alertStream(`k-${devices[1]}`), [
          e.alertRaised(`k-${devices[1]}`, `a-${round}-1`, devices[1]!, t(301)),
        ]),
      ]);
    }
    if (minute === 7) {
      await store.appendMany([
        append(alertStream(`k-${devices[1]}`), [
          e.notificationSent(`a-${round}-1`, t(420), 1),
          e.alertRepeated(`a-${round}-1`, 2, t(421)),
          e.alertAcknowledged(`a-${round}-1`, t(422)),
          e.alertEscalated(`a-${round}-1`, 1, t(423)),
        ]),
        append(deviceStream(devices[1]!), [e.statusChanged(devices[1]!, t(425), 'down', 'unreachable')]),
      ]);
    }
    if (minute === 10) {
      await store.appendMany([
        append(deviceStream(devices[1]!), [e.statusChanged(devices[1]!, t(600), 'unreachable', 'up')]),
        append(alertStream(`k-${devices[1]}`), [e.alertResolved(`a-${round}-1`, t(601))]),
        append(deviceStream(devices[2]!), [
          e.maintenance(devices[2]!, 'w1', t(600), t(4_200)),
          e.updated(devices[2]!, t(601), { name: 'renamed', tags: ['edge'] }),
          e.statusChanged(devices[2]!, t(602), 'up', 'degraded'),
        ]),
      ]);
    }
    if (minute === 12) {
      await store.appendMany([
        append(deviceStream(devices[3]!), [e.statusChanged(devices[3]!, t(720), 'up', 'down')]),
        append(alertStream(`k-${devices[3]}`), [
          e.alertRaised(`k-${devices[3]}`, `a-${round}-3`, devices[3]!, t(721)),
          e.alertSuppressed(`a-${round}-3`, t(722)),
        ]),
        append(deviceStream(devices[4]!), [e.paused(devices[4]!, t(723))]),
        append(deviceStream(devices[5]!), [e.decommissioned(devices[5]!, t(724))]),
      ]);
    }
  }
};
