import { type Queryable, quoteIdent } from '../sql/queryable.js';
import { type Availability, type AvailabilityWindow, availabilityWindows } from './availability.js';

/**
 * `availability` per device for several devices in one query (a page of devices showing theirs),
 * with the same definitions: each device's figures equal `availability({ deviceId })`.
 */
export const availabilityOfDevices = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceIds: readonly string[]; now: Date }>,
): Promise<Map<string, Availability[]>> => {
  const result = new Map<string, Availability[]>();
  if (input.deviceIds.length === 0) return result;
  const s = quoteIdent(schema);
  const labels = Object.keys(availabilityWindows);
  const { rows } = await q.query<{
    deviceId: string;
    label: AvailabilityWindow;
    monitored: number;
    down: number;
    outages: number;
    mttr: number | null;
  }>(
    `with w as (select label, ord, make_interval(secs => secs) as span
                from unnest($3::text[], $4::int[]) with ordinality as w(label, secs, ord)),
      per as (
        select w.label, w.ord, w.span, d.device_id, greatest($5::timestamptz - w.span, d.registered_at) as since
        from w cross join ${s}.devices d where d.organization_id = $1 and d.device_id = any($2::text[]))
     select p.device_id as "deviceId", p.label,
       greatest(extract(epoch from $5::timestamptz - p.since), 0)::float8 as monitored,
       coalesce(sum(greatest(extract(epoch from least(coalesce(o.ended_at, $5), $5) - greatest(o.started_at, p.since)), 0))
                filter (where o.outage_id is not null), 0)::float8 as down,
       count(o.outage_id)::int as outages,
       (select avg(extract(epoch from e.ended_at - e.started_at)) from ${s}.outages e
        where e.device_id = p.device_id and e.ended_at is not null
          and e.ended_at > $5::timestamptz - p.span and e.ended_at <= $5)::float8 as mttr
     from per p left join ${s}.outages o
       on o.device_id = p.device_id and o.started_at < $5 and coalesce(o.ended_at, $5) > p.since
     group by p.device_id, p.label, p.ord, p.span, p.since
     order by p.device_id, p.ord`,
    [input.organizationId, input.deviceIds, labels, Object.values(availabilityWindows), input.now],
  );
  for (const row of rows) {
    const windows = result.get(row.deviceId) ?? [];
    result.set(row.deviceId, windows);
    windows.push({
      window: row.label,
      availabilityPct: row.monitored > 0 ? 100 * (1 - row.down / row.monitored) : null,
      monitoredSeconds: row.monitored,
      downtimeSeconds: row.down,
      outages: row.outages,
      mttrSeconds: row.mttr,
    });
  }
  return result;
};
