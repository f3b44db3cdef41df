import { type RecordedEvent, streamCategories, streamEntityId } from '@netpulse/domain';
import type { ApplyContext, Projection, VersionTables } from '../../runner/projection.js';
import { type Column, type Queryable, upsertRows } from '../../sql/queryable.js';
import { timeText } from '../timestamps.js';
import { type AlertRow, eventTime, foldAlert } from './alert-row.js';

const alertColumns: readonly Column[] = [
  ['alert_id', 'text'],
  ['alert_key', 'text'],
  ['organization_id', 'text'],
  ['device_id', 'text'],
  ['rule_id', 'text'],
  ['condition', 'text'],
  ['severity', 'text'],
  ['summary', 'text'],
  ['details', 'jsonb'],
  ['state', 'text'],
  ['count', 'integer'],
  ['escalation_level', 'integer'],
  ['suppressed', 'boolean'],
  ['suppression_reason', 'text'],
  ['suppression_detail', 'text'],
  ['acknowledged_by_kind', 'text'],
  ['acknowledged_by_id', 'text'],
  ['acknowledged_at', 'timestamptz'],
  ['acknowledgement_note', 'text'],
  ['resolved_at', 'timestamptz'],
  ['resolved_by_kind', 'text'],
  ['resolved_by_id', 'text'],
  ['resolved_automatically', 'boolean'],
  ['resolution_note', 'text'],
  ['notes', 'integer'],
  ['notifications_sent', 'integer'],
  ['notifications_failed', 'integer'],
  ['raised_at', 'timestamptz'],
  ['last_changed_at', 'timestamptz'],
];

const timelineColumns: readonly Column[] = [
  ['event_id', 'text'],
  ['alert_id', 'text'],
  ['alert_key', 'text'],
  ['organization_id', 'text'],
  ['stream_version', 'bigint'],
  ['type', 'text'],
  ['at', 'timestamptz'],
  ['actor_kind', 'text'],
  ['actor_id', 'text'],
  ['data', 'jsonb'],
];

const selectAlert = alertColumns
  .map(([name, type]) => (type === 'timestamptz' ? timeText(name) : name))
  .join(', ');

/**
 * Alert instances (state, severity, count, acknowledgement, suppression, escalation, resolution,
 * notification counts) and a timeline row per alert event, in stream order.
 */
export const alertsProjection = (): Projection => ({
  name: 'alerts',
  filter: { categories: [streamCategories.alert] },
  createStatements: (t: VersionTables) => [
    `create table if not exists ${t.table('alerts')} (
    ${alertColumns.map(([name, type]) => `${name} ${type}`).join(',\n    ')},
    primary key (alert_id))`,
    `create index if not exists ${t.name('alerts')}_org_idx on ${t.table('alerts')} (organization_id, raised_at desc, alert_id desc)`,
    `create index if not exists ${t.name('alerts')}_key_idx on ${t.table('alerts')} (alert_key)`,
    `create index if not exists ${t.name('alerts')}_device_idx on ${t.table('alerts')} (device_id)`,
    // Unresolved alerts are few and read on every dashboard refresh (counts, a device's active alerts).
    `create index if not exists ${t.name('alerts')}_unresolved_idx on ${t.table('alerts')} (organization_id, device_id) where state <> 'resolved'`,
    `create table if not exists ${t.table('alert_timeline')} (
    ${timelineColumns.map(([name, type]) => `${name} ${type}`).join(',\n    ')},
    primary key (event_id))`,
    `create index if not exists ${t.name('alert_timeline')}_alert_idx on ${t.table('alert_timeline')} (alert_id, stream_version)`,
  ],
  views: (t) => [
    ['alerts', `select * from ${t.table('alerts')}`],
    ['alert_timeline', `select * from ${t.table('alert_timeline')}`],
  ],
  dropStatements: (t) => ['alerts', 'alert_timeline'].map((base) => `drop table if exists ${t.table(base)}`),
  apply: async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
    const ids = [...new Set(events.map((event) => (event.data as { alertId: string }).alertId))];
    const { rows } = await client.query<AlertRow>(
      `select ${selectAlert} from ${t.table('alerts')} where alert_id = any($1::text[])`,
      [ids],
    );
    const current = new Map<string, AlertRow | null>(rows.map((row) => [row.alert_id, row]));
    const changed = new Set<string>();
    const timeline: Record<string, unknown>[] = [];
    for (const event of events) {
      const id = (event.data as { alertId: string }).alertId;
      const before = current.get(id) ?? null;
      const after = foldAlert(before, event);
      if (!after) continue;
      if (after !== before) {
        current.set(id, after);
        changed.add(id);
      }
      const by = (event.data as { by?: { kind: string; id: string } }).by ?? event.metadata.actor;
      timeline.push({
        event_id: event.id,
        alert_id: id,
        alert_key: after.alert_key || streamEntityId(event.streamId),
        organization_id: event.metadata.organizationId,
        stream_version: event.streamVersion.toString(),
        type: event.type,
        at: eventTime(event),
        actor_kind: by.kind,
        actor_id: by.id,
        data: event.data,
      });
    }
    await upsertRows(
      client,
      { table: t.table('alerts'), columns: alertColumns, key: ['alert_id'] },
      [...changed].map((id) => current.get(id)!),
    );
    await upsertRows(client, { table: t.table('alert_timeline'), columns: timelineColumns }, timeline);
  },
});
