import type {
  DeviceDecommissioned,
  DeviceMaintenanceCancelled,
  DeviceMaintenanceScheduled,
  DeviceMonitoringPaused,
  DeviceProfile,
  DeviceRegistered,
  DeviceStatusChanged,
  DeviceUpdated,
  HealthStatus,
  RecordedEvent,
} from '@netpulse/domain';
import type { z } from 'zod';
import type { PgTime } from '../timestamps.js';

export type MaintenanceWindow = Readonly<{
  windowId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}>;

/** A row of `devices_vN`, as the fold sees it (timestamps as text, see timestamps.ts). */
export type DeviceRow = {
  device_id: string;
  organization_id: string;
  name: string;
  address: string;
  kind: string;
  location: string | null;
  tags: string[];
  parent_id: string | null;
  probes: unknown;
  status: HealthStatus;
  status_reason: string | null;
  status_changed_at: PgTime | null;
  monitoring_paused: boolean;
  paused_reason: string | null;
  maintenance: MaintenanceWindow[];
  registered_at: PgTime;
  updated_at: PgTime;
  decommissioned_at: PgTime | null;
  decommission_reason: string | null;
};

type Data<S extends z.ZodType<{ data: unknown }>> = z.infer<S>['data'];

const applyProfile = (row: DeviceRow, profile: Partial<DeviceProfile>): void => {
  if (profile.name !== undefined) row.name = profile.name;
  if (profile.address !== undefined) row.address = profile.address;
  if (profile.kind !== undefined) row.kind = profile.kind;
  if (profile.location !== undefined) row.location = profile.location;
  if (profile.tags !== undefined) row.tags = [...profile.tags];
  if (profile.parentId !== undefined) row.parent_id = profile.parentId;
  if (profile.probes !== undefined) row.probes = profile.probes;
};

/**
 * Folds one device event into its row (null = no row yet). Events for a device that was never
 * registered are ignored: without a profile there is nothing to show.
 */
export const foldDevice = (row: DeviceRow | null, event: RecordedEvent): DeviceRow | null => {
  if (event.type === 'DeviceRegistered') {
    const data = event.data as Data<typeof DeviceRegistered>;
    const next: DeviceRow = {
      device_id: data.deviceId,
      organization_id: event.metadata.organizationId,
      name: data.name,
      address: data.address,
      kind: data.kind,
      location: data.location,
      tags: [],
      parent_id: null,
      probes: null,
      status: 'unknown',
      status_reason: null,
      status_changed_at: null,
      monitoring_paused: false,
      paused_reason: null,
      maintenance: [],
      registered_at: data.registeredAt,
      updated_at: data.registeredAt,
      decommissioned_at: null,
      decommission_reason: null,
    };
    applyProfile(next, data);
    return next;
  }
  if (!row) return null;
  const next: DeviceRow = { ...row };
  switch (event.type) {
    case 'DeviceUpdated': {
      const data = event.data as Data<typeof DeviceUpdated>;
      applyProfile(next, data.changes);
      next.updated_at = data.updatedAt;
      return next;
    }
    case 'DeviceStatusChanged': {
      const data = event.data as Data<typeof DeviceStatusChanged>;
      next.status = data.to;
      next.status_reason = data.reason;
      next.status_changed_at = data.changedAt;
      return next;
    }
    case 'DeviceMaintenanceScheduled': {
      const data = event.data as Data<typeof DeviceMaintenanceScheduled>;
      next.maintenance = [
        ...row.maintenance.filter((window) => window.windowId !== data.windowId),
        { windowId: data.windowId, startsAt: data.startsAt, endsAt: data.endsAt, reason: data.reason },
      ];
      return next;
    }
    case 'DeviceMaintenanceCancelled': {
      const data = event.data as Data<typeof DeviceMaintenanceCancelled>;
      next.maintenance = row.maintenance.filter((window) => window.windowId !== data.windowId);
      return next;
    }
    case 'DeviceMonitoringPaused': {
      const data = event.data as Data<typeof DeviceMonitoringPaused>;
      next.monitoring_paused = true;
      next.paused_reason = data.reason;
      return next;
    }
    case 'DeviceMonitoringResumed':
      next.monitoring_paused = false;
      next.paused_reason = null;
      return next;
    case 'DeviceDecommissioned': {
      const data = event.data as Data<typeof DeviceDecommissioned>;
      next.decommissioned_at = data.decommissionedAt;
      next.decommission_reason = data.reason;
      return next;
    }
    default:
      return row;
  }
};
