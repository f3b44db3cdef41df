import { type Queryable, quoteIdent } from '../sql/queryable.js';
import { clampLimit, decodeCursor, type Page, toPage } from './cursor.js';

export type AuditEntry = Readonly<{
  eventId: string;
  organizationId: string;
  actor: { kind: string; id: string };
  action: string;
  entityType: string;
  entityId: string;
  streamId: string;
  streamVersion: string;
  occurredAt: Date;
  correlationId: string;
  causationId: string;
}>;

export type AuditFilter = Readonly<{
  organizationId: string;
  actorKind?: string;
  actorId?: string;
  action?: string;
  entityId?: string;
  correlationId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string | null;
}>;

/** The audit log of one organization, newest first; every filter optional. */
export const auditLog = async (
  q: Queryable,
  schema: string,
  filter: AuditFilter,
): Promise<Page<AuditEntry>> => {
  const limit = clampLimit(filter.limit);
  const params: unknown[] = [filter.organizationId];
  const where = ['organization_id = $1'];
  const add = (sql: string, value: unknown) => where.push(sql.replaceAll('?', `$${params.push(value)}`));
  if (filter.actorKind) add('actor_kind = ?', filter.actorKind);
  if (filter.actorId) add('actor_id = ?', filter.actorId);
  if (filter.action) add('action = ?', filter.action);
  if (filter.entityId) add('entity_id = ?', filter.entityId);
  if (filter.correlationId) add('correlation_id = ?', filter.correlationId);
  if (filter.from) add('occurred_at >= ?', filter.from);
  if (filter.to) add('occurred_at < ?', filter.to);
  const after = decodeCursor(filter.cursor);
  if (after) {
    params.push(String(after[0]), String(after[1]));
    where.push(`(occurred_at, event_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(limit + 1);
  const { rows } = await q.query<AuditEntry & { cursorTime: string }>(
    `select event_id as "eventId", organization_id as "organizationId",
       json_build_object('kind', actor_kind, 'id', actor_id) as actor, action, entity_type as "entityType",
       entity_id as "entityId", stream_id as "streamId", stream_version::text as "streamVersion",
       occurred_at as "occurredAt", correlation_id as "correlationId", causation_id as "causationId",
       occurred_at::text as "cursorTime"
     from ${quoteIdent(schema)}.audit_index where ${where.join(' and ')}
     order by occurred_at desc, event_id desc limit $${params.length}`,
    params,
  );
  const page = toPage(rows, limit, (row) => [row.cursorTime, row.eventId]);
  return { ...page, items: page.items.map(({ cursorTime: _, ...entry }) => entry) };
};
