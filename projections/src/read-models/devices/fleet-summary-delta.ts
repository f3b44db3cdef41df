import type { DeviceRow } from './device-row.js';

export const fleetStatuses = ['up', 'degraded', 'down', 'unreachable', 'unknown'] as const;
type FleetStatus = (typeof fleetStatuses)[number];

/** What a batch changes in one organization's `fleet_summary` row; every count may be negative. */
export type FleetSummaryDelta = {
  organization_id: string;
  total: number;
  monitoring_paused: number;
} & Record<FleetStatus, number>;

/** The columns of a device row that the summary counts. */
export type CountedDevice = Pick<
  DeviceRow,
  'organization_id' | 'status' | 'monitoring_paused' | 'decommissioned_at'
>;

const emptyDelta = (organizationId: string): FleetSummaryDelta => ({
  organization_id: organizationId,
  total: 0,
  monitoring_paused: 0,
  ...(Object.fromEntries(fleetStatuses.map((status) => [status, 0])) as Record<FleetStatus, number>),
});

/**
 * The change to each organization's counts when devices go from `before` to `after` (null: no
 * row), counting as the summary does: devices not decommissioned, by status and paused. Only
 * organizations whose counts actually move are returned, so a status change that keeps the status
 * (or a renamed device) writes nothing. Keeping the summary by difference costs a batch the devices
 * it touched instead of a recount of the whole fleet.
 */
export const fleetSummaryDeltas = (
  changes: Iterable<Readonly<{ before: CountedDevice | null; after: CountedDevice | null }>>,
): FleetSummaryDelta[] => {
  const deltas = new Map<string, FleetSummaryDelta>();
  const count = (row: CountedDevice | null, sign: 1 | -1) => {
    if (!row || row.decommissioned_at !== null) return;
    let delta = deltas.get(row.organization_id);
    if (!delta) {
      delta = emptyDelta(row.organization_id);
      deltas.set(row.organization_id, delta);
    }
    delta.total += sign;
    if ((fleetStatuses as readonly string[]).includes(row.status)) delta[row.status as FleetStatus] += sign;
    if (row.monitoring_paused) delta.monitoring_paused += sign;
  };
  for (const { before, after } of changes) {
    count(before, -1);
    count(after, 1);
  }
  return [...deltas.values()].filter(
    (delta) =>
      delta.total !== 0 || delta.monitoring_paused !== 0 || fleetStatuses.some((s) => delta[s] !== 0),
  );
};
