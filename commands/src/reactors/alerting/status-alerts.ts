import { alertKeyOf, deviceAlertActions, suppressionFor } from '@netpulse/domain';
import { causeOf } from '../cause.js';
import type { ParsedEvent } from '../parse-event.js';
import type { ReactorContext } from '../reactor.js';
import { loadDevice, parentHealthOf, raiseAlert, resolveIfOpen } from './alert-commands.js';
import type { OpenAlerts } from './open-alerts.js';

/**
 * A status change raises the alert of the state the device entered and resolves the one it left.
 * A device in maintenance, or cut off behind a down parent, gets its alert born suppressed.
 */
export const handleStatusChange = async (
  context: ReactorContext,
  openAlerts: OpenAlerts,
  { recorded, event }: ParsedEvent<'DeviceStatusChanged'>,
): Promise<void> => {
  const { deviceId, from, to, reason, changedAt } = event.data;
  const cause = causeOf(recorded);
  const now = new Date(changedAt);
  for (const action of deviceAlertActions(to)) {
    const alertKey = alertKeyOf({ deviceId, condition: action.condition });
    if (action.kind === 'resolve') {
      // Status changes are rare: read the key every time rather than trust the open-alerts hint.
      await resolveIfOpen(context, openAlerts, cause, now, alertKey);
      continue;
    }
    const device = await loadDevice(context, deviceId);
    if (device.status !== 'active') continue;
    const parentHealth = await parentHealthOf(context, device);
    await raiseAlert(context, openAlerts, cause, now, {
      alertKey,
      deviceId,
      ruleId: null,
      condition: action.condition,
      severity: action.severity,
      summary: `${device.profile.name} is ${to}: ${reason}`,
      details: { from, to, reason },
      suppression: suppressionFor({ device, parentHealth, unreachable: to === 'unreachable', at: now }),
    });
  }
};
