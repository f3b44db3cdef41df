import { type Queryable, quoteIdent } from '../sql/queryable.js';

export type FleetSummary = Readonly<{
  organizationId: string;
  total: number;
  up: number;
  degraded: number;
  down: number;
  unreachable: number;
  unknown: number;
  monitoringPaused: number;
  /** Devices inside a maintenance window at `now` (time-dependent, so computed, not projected). */
  inMaintenance: number;
}>;

export const fleetSummary = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; now: Date }>,
): Promise<FleetSummary> => {
  const s = quoteIdent(schema);
  const { rows } = await q.query<Omit<FleetSummary, 'organizationId'>>(
    `select coalesce(f.total, 0) as total, coalesce(f.up, 0) as up, coalesce(f.degraded, 0) as degraded,
       coalesce(f.down, 0) as down, coalesce(f.unreachable, 0) as unreachable, coalesce(f.unknown, 0) as unknown,
       coalesce(f.monitoring_paused, 0) as "monitoringPaused",
       (select count(*)::int from ${s}.devices d
        where d.organization_id = $1 and d.decommissioned_at is null
          and exists (select 1 from jsonb_array_elements(d.maintenance) w
                      where (w->>'startsAt')::timestamptz <= $2 and (w->>'endsAt')::timestamptz > $2)) as "inMaintenance"
     from (select 1) one left join ${s}.fleet_summary f on f.organization_id = $1`,
    [input.organizationId, input.now],
  );
  return { organizationId: input.organizationId, ...rows[0]! };
};
