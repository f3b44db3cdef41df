import type { SuppressionReason } from '../alert/events.js';
import type { HealthStatus } from '../device/events.js';
import { type DeviceState, maintenanceWindowAt } from '../device/state.js';
import { isDownLike } from './health.js';

export type Suppression = Readonly<{ reason: SuppressionReason; detail: string }>;

export type SuppressionInput = Readonly<{
  device: DeviceState;
  /** The parent's recorded health; null without a parent. */
  parentHealth: HealthStatus | null;
  /** True when the device itself is unreachable, i.e. judged to be cut off behind its parent. */
  unreachable?: boolean;
  at: Date;
}>;

/**
 * Whether a new alert on this device is born suppressed (recorded, not notified nor escalated).
 * Only creation and notification are suppressed: monitoring carries on and resolutions are never
 * suppressed. A maintenance window wins over a down parent since it is the more specific reason.
 */
export const suppressionFor = (input: SuppressionInput): Suppression | null => {
  const window = maintenanceWindowAt(input.device, input.at);
  if (window) {
    return {
      reason: 'maintenance',
      detail: `maintenance window ${window.windowId} until ${window.endsAt}`.slice(0, 500),
    };
  }
  const parentId = input.device.status === 'unregistered' ? null : input.device.profile.parentId;
  if (parentId && (input.unreachable || isDownLike(input.parentHealth))) {
    return { reason: 'parent-down', detail: `parent ${parentId} is ${input.parentHealth ?? 'down'}` };
  }
  return null;
};
