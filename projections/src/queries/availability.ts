import { type Queryable, quoteIdent } from '../sql/queryable.js';

export const availabilityWindows = { '24h': 86_400, '7d': 604_800, '30d': 2_592_000 } as const;
export type AvailabilityWindow = keyof typeof availabilityWindows;

export type Availability = Readonly<{
  window: AvailabilityWindow;
  /** Null when no device was registered during the window. */
  availabilityPct: number | null;
  monitoredSeconds: number;
  downtimeSeconds: number;
  /** Outages overlapping the window. */
  outages: number;
  /** Mean time to repair of the outages that ended in the window; null when none did. */
  mttrSeconds: number | null;
}>;

/**
 * Availability over 24 h / 7 d / 30 d for one device or a whole organization: 1 − downtime /
 * monitored time, where monitored time starts at the later of the window's start and the device's
 * registration, and an open outage counts until `now`. An organization's figure pools every
 * device's seconds (device-weighted). MTTR is the mean duration of outages that ended in the window.
 */
export const availability = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceId?: string; now: Date }>,
): Promise<Availability[]> => {
  const s = quoteIdent(schema);
  const labels = Object.keys(availabilityWindows);
  const seconds = Object.values(availabilityWindows);
  const { rows } = await q.query<{
    label: AvailabilityWindow;
    monitored: number;
    down: number;
    outages: number;
    mttr: number | null;
  }>(
    `with w as (select label, make_interval(secs => secs) as span
                from unnest($4::text[], $5::int[]) as w(label, secs)),
      d as (select device_id, registered_at from ${s}.devices
            where organization_id = $1 and ($2::text is null or device_id = $2)),
      per as (
        select w.label, d.device_id, greatest($3::timestamptz - w.span, d.registered_at) as since
        from w cross join d)
     select w.label,
       coalesce((select sum(greatest(extract(epoch from $3::timestamptz - p.since), 0))
                 from per p where p.label = w.label), 0)::float8 as monitored,
       coalesce((select sum(greatest(extract(epoch from least(coalesce(o.ended_at, $3), $3) - greatest(o.started_at, p.since)), 0))
                 from per p join ${s}.outages o on o.device_id = p.device_id
                 where p.label = w.label and o.started_at < $3 and coalesce(o.ended_at, $3) > p.since), 0)::float8 as down,
       (select count(*) from per p join ${s}.outages o on o.device_id = p.device_id
        where p.label = w.label and o.started_at < $3 and coalesce(o.ended_at, $3) > p.since)::int as outages,
       (select avg(extract(epoch from o.ended_at - o.started_at)) from per p join ${s}.outages o on o.device_id = p.device_id
        where p.label = w.label and o.ended_at is not null and o.ended_at > $3::timestamptz - w.span and o.ended_at <= $3)::float8 as mttr
     from w`,
    [input.organizationId, input.deviceId ?? null, input.now, labels, seconds],
  );
  return rows.map((row) => ({
    window: row.label,
    availabilityPct: row.monitored > 0 ? 100 * (1 - row.down / row.monitored) : null,
    monitoredSeconds: row.monitored,
    downtimeSeconds: row.down,
    outages: row.outages,
    mttrSeconds: row.mttr,
  }));
};
