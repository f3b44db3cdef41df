import type { RecordedEvent } from '@netpulse/domain';
import { recorded } from './recorded.js';

/** A device registered with probes off, as the devices and outages projections see it. */
export const deviceRegistered = (
  deviceId: string,
  registeredAt: string,
  organizationId = 'org-a',
): RecordedEvent =>
  recorded(
    `device-${deviceId}`,
    'DeviceRegistered',
    {
      deviceId,
      name: deviceId,
      address: '127.0.0.1',
      kind: 'router',
      location: null,
      tags: [],
      parentId: null,
      probes: {},
      registeredAt,
    },
    { organizationId },
  );

/** A status change (from `up`; the projections read only `to` and the time). */
export const statusChanged = (deviceId: string, to: string, changedAt: string): RecordedEvent =>
  recorded(`device-${deviceId}`, 'DeviceStatusChanged', { deviceId, from: 'up', to, reason: to, changedAt });
