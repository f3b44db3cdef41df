import { type RecordedEvent, streamCategories, streamCategory, streamEntityId } from '@netpulse/domain';
import type { ApplyContext, Projection, VersionTables } from '../../runner/projection.js';
import { type Column, type Queryable, upsertRows } from '../../sql/queryable.js';

const columns: readonly Column[] = [
  ['event_id', 'text'],
  ['organization_id', 'text'],
  ['actor_kind', 'text'],
  ['actor_id', 'text'],
  ['action', 'text'],
  ['entity_type', 'text'],
  ['entity_id', 'text'],
  ['stream_id', 'text'],
  ['stream_version', 'bigint'],
  ['occurred_at', 'timestamptz'],
  ['correlation_id', 'text'],
  ['causation_id', 'text'],
];

/**
 * The auditor's index: who (actor) did what (action = event type) to which entity (stream) and
 * when, with correlation and causation ids to follow a chain of decisions. Every decision event;
 * telemetry (observations, traps) is not a decision. The event itself stays in the store: this
 * index points at it (stream id + version).
 */
export const auditProjection = (): Projection => ({
  name: 'audit',
  filter: {
    categories: [
      streamCategories.device,
      streamCategories.alert,
      streamCategories.alertRule,
      streamCategories.organization,
    ],
  },
  createStatements: (t: VersionTables) => [
    `create table if not exists ${t.table('audit_index')} (
    ${columns.map(([name, type]) => `${name} ${type} not null`).join(',\n    ')},
    primary key (event_id))`,
    `create index if not exists ${t.name('audit_index')}_time_idx on ${t.table('audit_index')} (organization_id, occurred_at desc, event_id desc)`,
    `create index if not exists ${t.name('audit_index')}_actor_idx on ${t.table('audit_index')} (organization_id, actor_kind, actor_id, occurred_at desc)`,
    `create index if not exists ${t.name('audit_index')}_entity_idx on ${t.table('audit_index')} (organization_id, entity_id, occurred_at desc)`,
  ],
  views: (t) => [['audit_index', `select * from ${t.table('audit_index')}`]],
  dropStatements: (t) => [`drop table if exists ${t.table('audit_index')}`],
  apply: async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
    await upsertRows(
      client,
      { table: t.table('audit_index'), columns },
      events.map((event) => ({
        event_id: event.id,
        organization_id: event.metadata.organizationId,
        actor_kind: event.metadata.actor.kind,
        actor_id: event.metadata.actor.id,
        action: event.type,
        entity_type: streamCategory(event.streamId),
        entity_id: streamEntityId(event.streamId),
        stream_id: event.streamId,
        stream_version: event.streamVersion.toString(),
        occurred_at: event.recordedAt.toISOString(),
        correlation_id: event.metadata.correlationId,
        causation_id: event.metadata.causationId,
      })),
    );
  },
});
