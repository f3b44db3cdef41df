import type { HealthStatus } from '../device/events.js';
import type { Severity } from '../shared/severity.js';
import { type DeviceCondition, deviceConditions } from './alert-key.js';

export type DeviceAlertAction =
  | Readonly<{ kind: 'raise'; condition: DeviceCondition; severity: Severity }>
  | Readonly<{ kind: 'resolve'; condition: DeviceCondition }>;

/**
 * The alerts a status change raises and resolves: down and unreachable raise `device-down`
 * (unreachable is less severe: the cause is upstream), degraded raises `device-degraded`; every
 * change resolves the condition the device has left. `unknown` says nothing either way.
 */
export const deviceAlertActions = (to: HealthStatus): readonly DeviceAlertAction[] => {
  switch (to) {
    case 'down':
    case 'unreachable':
      return [
        { kind: 'resolve', condition: deviceConditions.degraded },
        { kind: 'raise', condition: deviceConditions.down, severity: to === 'down' ? 'critical' : 'major' },
      ];
    case 'degraded':
      return [
        { kind: 'resolve', condition: deviceConditions.down },
        { kind: 'raise', condition: deviceConditions.degraded, severity: 'warning' },
      ];
    case 'up':
      return [
        { kind: 'resolve', condition: deviceConditions.down },
        { kind: 'resolve', condition: deviceConditions.degraded },
      ];
    case 'unknown':
      return [];
  }
};
