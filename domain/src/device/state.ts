import type { DeviceProfile, HealthStatus } from './events.js';

export type MaintenanceWindow = Readonly<{
  windowId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}>;

export type RegisteredDevice = Readonly<{
  deviceId: string;
  /** Null when the state was folded from events without metadata: nobody may command it. */
  organizationId: string | null;
  profile: DeviceProfile;
  registeredAt: string;
}>;

export type ActiveDevice = RegisteredDevice &
  Readonly<{
    status: 'active';
    health: HealthStatus;
    /**
     * When the health last changed (the decision's time), null before the first change. Health
     * evaluation damps flapping with it, and a reactor replaying older observations recognises them
     * as already decided.
     */
    statusChangedAt: string | null;
    monitoring: 'active' | 'paused';
    /** Windows scheduled and not cancelled, past ones included (a device has few). */
    maintenance: readonly MaintenanceWindow[];
  }>;

export type DecommissionedDevice = RegisteredDevice &
  Readonly<{ status: 'decommissioned'; decommissionedAt: string; reason: string }>;

export type DeviceState = Readonly<{ status: 'unregistered' }> | ActiveDevice | DecommissionedDevice;

export const initialDeviceState = (): DeviceState => ({ status: 'unregistered' });

/** The maintenance window covering `at` (start inclusive, end exclusive), if any. */
export const maintenanceWindowAt = (state: DeviceState, at: Date): MaintenanceWindow | null => {
  if (state.status !== 'active') return null;
  const time = at.getTime();
  return (
    state.maintenance.find(
      (window) => Date.parse(window.startsAt) <= time && time < Date.parse(window.endsAt),
    ) ?? null
  );
};

export const isInMaintenance = (state: DeviceState, at: Date): boolean =>
  maintenanceWindowAt(state, at) !== null;

/** Whether pollers should probe the device and reactors judge its health. */
export const isMonitored = (state: DeviceState): boolean =>
  state.status === 'active' && state.monitoring === 'active';
