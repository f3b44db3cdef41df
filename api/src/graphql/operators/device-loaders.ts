import type { AlertView, Availability, DeviceView } from '@netpulse/projections';
import type { Principal } from '../../auth/principal.js';
import type { ApiContext } from '../context.js';
import { requestLoader } from '../loaders/request-loaders.js';

const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key) ?? [];
    groups.set(key, group);
    group.push(item);
  }
  return groups;
};

/** Devices by id for a request: a page of alerts asking for their devices makes one query. */
export const deviceLoader = (context: ApiContext, principal: Principal) =>
  requestLoader<string, DeviceView>(context, 'device-by-id', async (deviceIds) => {
    const devices = await context.ports.queries.getDevicesByIds({
      organizationId: principal.organizationId,
      deviceIds,
    });
    return new Map(devices.map((device) => [device.deviceId, device]));
  });

/** Unresolved alerts by device for a request: one query for a whole page of devices. */
export const activeAlertsLoader = (context: ApiContext, principal: Principal) =>
  requestLoader<string, AlertView[]>(context, 'active-alerts-by-device', async (deviceIds) => {
    const alerts = await context.ports.queries.activeAlertsOfDevices({
      organizationId: principal.organizationId,
      deviceIds,
    });
    return groupBy(alerts, (alert) => alert.deviceId);
  });

/** Availability windows by device for a request, all measured at the same `now`. */
export const availabilityLoader = (context: ApiContext, principal: Principal) => {
  const now = context.ports.clock.now();
  return requestLoader<string, Availability[]>(context, 'availability-by-device', (deviceIds) =>
    context.ports.queries.availabilityOfDevices({ organizationId: principal.organizationId, deviceIds, now }),
  );
};
