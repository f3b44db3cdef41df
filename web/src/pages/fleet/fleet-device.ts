import type { DateTime, DeviceStatus } from '../../graphql/schema-types';

/** One row of the fleet list: what the list shows and filters on, nothing more. */
export type FleetDevice = Readonly<{
  deviceId: string;
  name: string;
  address: string;
  kind: string;
  location: string | null;
  tags: readonly string[];
  parentId: string | null;
  status: DeviceStatus;
  statusReason: string | null;
  statusChangedAt: DateTime | null;
  monitoringPaused: boolean;
  inMaintenance: boolean;
  updatedAt: DateTime;
  latest: Readonly<{ observedAt: DateTime | null; rttAvgMs: number | null; lossPct: number | null }>;
}>;

/**
 * Not `version`: the API reads it from each device's stream, which makes a 200-device page three
 * times slower; the edit dialog asks for it when it opens.
 */
export const FLEET_DEVICE_FIELDS = `deviceId name address kind location tags parentId status statusReason
  statusChangedAt monitoringPaused inMaintenance updatedAt latest { observedAt rttAvgMs lossPct }`;

const time = (iso: string | null): number => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/** How recent a row's information is: the later of its last update and its last status change. */
export const freshness = (device: FleetDevice): number =>
  Math.max(time(device.updatedAt), time(device.statusChangedAt));

/**
 * Which of two copies of a device to keep: a page read may arrive after a live event that is newer,
 * so the later copy wins, and on a tie the incoming one (it may carry newer metrics).
 */
export const newerOf = (current: FleetDevice | undefined, incoming: FleetDevice): FleetDevice =>
  current && freshness(current) > freshness(incoming) ? current : incoming;

/**
 * A live status change applied to the row it came with (or the row already known): the event's
 * status wins unless the row already records a later change, since the row may have been read
 * before the read model caught up with the event.
 */
export const withStatusChange = (
  device: FleetDevice,
  change: Readonly<{ to: FleetDevice['status']; reason: string | null; at: string }>,
): FleetDevice =>
  device.statusChangedAt && Date.parse(device.statusChangedAt) > Date.parse(change.at)
    ? device
    : { ...device, status: change.to, statusReason: change.reason, statusChangedAt: change.at };
