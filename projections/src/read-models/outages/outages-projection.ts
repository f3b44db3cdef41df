import {
  type DeviceStatusChanged,
  type HealthStatus,
  type RecordedEvent,
  streamCategories,
} from '@netpulse/domain';
import type { z } from 'zod';

type StatusChange = z.infer<typeof DeviceStatusChanged>['data'];

import type { ApplyContext, Projection, VersionTables } from '../../runner/projection.js';
import { type Column, type Queryable, upsertRows } from '../../sql/queryable.js';
import { type PgTime, timeText } from '../timestamps.js';

type OutageRow = {
  outage_id: string;
  organization_id: string;
  device_id: string;
  started_at: PgTime;
  ended_at: PgTime | null;
  opened_as: HealthStatus;
  worst_status: HealthStatus;
  reason: string;
  closed_by: HealthStatus | null;
};

const columns: readonly Column[] = [
  ['outage_id', 'text'],
  ['organization_id', 'text'],
  ['device_id', 'text'],
  ['started_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['opened_as', 'text'],
  ['worst_status', 'text'],
  ['reason', 'text'],
  ['closed_by', 'text'],
];

/** Down and unreachable are outages; up and degraded (answering, if poorly) end one. */
const isOutage = (status: HealthStatus) => status === 'down' || status === 'unreachable';
const endsOutage = (status: HealthStatus) => status === 'up' || status === 'degraded';

/**
 * Outages: one row per period a device was down or unreachable, opened by the status change that
 * started it (its event id is the outage id) and closed by the one that ended it. `unknown`
 * (monitoring paused, no data) neither opens nor closes one. Availability and MTTR are queries over
 * these rows (queries/availability.ts).
 */
export const outagesProjection = (): Projection => ({
  name: 'outages',
  filter: { categories: [streamCategories.device], eventTypes: ['DeviceStatusChanged'] },
  createStatements: (t: VersionTables) => [
    `create table if not exists ${t.table('outages')} (
    outage_id text primary key,
    organization_id text not null,
    device_id text not null,
    started_at timestamptz not null,
    ended_at timestamptz,
    opened_as text not null,
    worst_status text not null,
    reason text not null,
    closed_by text)`,
    `create index if not exists ${t.name('outages')}_device_idx on ${t.table('outages')} (device_id, started_at)`,
    `create index if not exists ${t.name('outages')}_org_idx on ${t.table('outages')} (organization_id, started_at)`,
    `create index if not exists ${t.name('outages')}_open_idx on ${t.table('outages')} (device_id) where ended_at is null`,
  ],
  views: (t) => [['outages', `select * from ${t.table('outages')}`]],
  dropStatements: (t) => [`drop table if exists ${t.table('outages')}`],
  apply: async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
    const changes = events.filter((event) => event.type === 'DeviceStatusChanged');
    if (changes.length === 0) return;
    const devices = [...new Set(changes.map((event) => (event.data as StatusChange).deviceId))];
    const { rows } = await client.query<OutageRow>(
      `select outage_id, organization_id, device_id, ${timeText('started_at')}, ${timeText('ended_at')},
         opened_as, worst_status, reason, closed_by
       from ${t.table('outages')} where device_id = any($1::text[]) and ended_at is null`,
      [devices],
    );
    const open = new Map(rows.map((row) => [row.device_id, row]));
    const changed = new Map<string, OutageRow>();
    for (const event of changes) {
      const data = event.data as StatusChange;
      const current = open.get(data.deviceId);
      if (isOutage(data.to)) {
        if (current) {
          if (data.to === 'down') current.worst_status = 'down';
          changed.set(current.outage_id, current);
        } else {
          const opened: OutageRow = {
            outage_id: event.id,
            organization_id: event.metadata.organizationId,
            device_id: data.deviceId,
            started_at: data.changedAt,
            ended_at: null,
            opened_as: data.to,
            worst_status: data.to,
            reason: data.reason,
            closed_by: null,
          };
          open.set(data.deviceId, opened);
          changed.set(opened.outage_id, opened);
        }
      } else if (endsOutage(data.to) && current) {
        current.ended_at = data.changedAt;
        current.closed_by = data.to;
        open.delete(data.deviceId);
        changed.set(current.outage_id, current);
      }
    }
    await upsertRows(client, { table: t.table('outages'), columns, key: ['outage_id'] }, [
      ...changed.values(),
    ]);
  },
});
