import { type Queryable, quoteIdent } from '../sql/queryable.js';
import { clampLimit, decodeCursor, type Page, toPage } from './cursor.js';

export type AlertView = Readonly<{
  alertId: string;
  alertKey: string;
  organizationId: string;
  deviceId: string;
  ruleId: string | null;
  condition: string;
  severity: string;
  summary: string;
  details: unknown;
  state: 'open' | 'acknowledged' | 'resolved';
  count: number;
  escalationLevel: number;
  suppressed: boolean;
  suppressionReason: string | null;
  acknowledgedBy: { kind: string; id: string } | null;
  acknowledgedAt: Date | null;
  acknowledgementNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: { kind: string; id: string } | null;
  resolvedAutomatically: boolean | null;
  raisedAt: Date;
  lastChangedAt: Date;
  notificationsSent: number;
  notificationsFailed: number;
}>;

export type AlertTimelineEntry = Readonly<{
  eventId: string;
  type: string;
  at: Date;
  actor: { kind: string; id: string };
  data: unknown;
}>;

const columns = `alert_id as "alertId", alert_key as "alertKey", organization_id as "organizationId",
  device_id as "deviceId", rule_id as "ruleId", condition, severity, summary, details, state, count,
  escalation_level as "escalationLevel", suppressed, suppression_reason as "suppressionReason",
  case when acknowledged_by_id is null then null else json_build_object('kind', acknowledged_by_kind, 'id', acknowledged_by_id) end as "acknowledgedBy",
  acknowledged_at as "acknowledgedAt", acknowledgement_note as "acknowledgementNote", resolved_at as "resolvedAt",
  case when resolved_by_id is null then null else json_build_object('kind', resolved_by_kind, 'id', resolved_by_id) end as "resolvedBy",
  resolved_automatically as "resolvedAutomatically", raised_at as "raisedAt", last_changed_at as "lastChangedAt",
  notifications_sent as "notificationsSent", notifications_failed as "notificationsFailed"`;

/** The select list of an `AlertView`, for queries over `alerts` kept in files of their own. */
export const alertViewColumns = columns;

export type AlertFilter = Readonly<{
  organizationId: string;
  states?: readonly AlertView['state'][];
  severities?: readonly string[];
  deviceId?: string;
  suppressed?: boolean;
  limit?: number;
  cursor?: string | null;
}>;

/** Alerts of one organization, newest first, filtered, with keyset pagination. */
export const listAlerts = async (
  q: Queryable,
  schema: string,
  filter: AlertFilter,
): Promise<Page<AlertView>> => {
  const limit = clampLimit(filter.limit);
  const params: unknown[] = [filter.organizationId];
  const where = ['organization_id = $1'];
  const add = (sql: string, value: unknown) => where.push(sql.replaceAll('?', `$${params.push(value)}`));
  if (filter.states?.length) add('state = any(?::text[])', filter.states);
  if (filter.severities?.length) add('severity = any(?::text[])', filter.severities);
  if (filter.deviceId) add('device_id = ?', filter.deviceId);
  if (filter.suppressed !== undefined) add('suppressed = ?', filter.suppressed);
  const after = decodeCursor(filter.cursor);
  if (after) {
    params.push(String(after[0]), String(after[1]));
    where.push(`(raised_at, alert_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(limit + 1);
  const { rows } = await q.query<AlertView & { cursorTime: string }>(
    `select ${columns}, raised_at::text as "cursorTime" from ${quoteIdent(schema)}.alerts
     where ${where.join(' and ')} order by raised_at desc, alert_id desc limit $${params.length}`,
    params,
  );
  const page = toPage(rows, limit, (row) => [row.cursorTime, row.alertId]);
  return { ...page, items: page.items.map(({ cursorTime: _, ...alert }) => alert) };
};

/** One alert with its timeline in stream order. */
export const getAlert = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; alertId: string }>,
): Promise<(AlertView & { timeline: AlertTimelineEntry[] }) | null> => {
  const s = quoteIdent(schema);
  const { rows } = await q.query<AlertView>(
    `select ${columns} from ${s}.alerts where organization_id = $1 and alert_id = $2`,
    [input.organizationId, input.alertId],
  );
  const alert = rows[0];
  if (!alert) return null;
  const timeline = await q.query<AlertTimelineEntry>(
    `select event_id as "eventId", type, at, json_build_object('kind', actor_kind, 'id', actor_id) as actor, data
     from ${s}.alert_timeline where alert_id = $1 and organization_id = $2 order by stream_version`,
    [input.alertId, input.organizationId],
  );
  return { ...alert, timeline: timeline.rows };
};

/**
 * The command bus's AlertLocator: alert streams are keyed by reduction key, commands name the
 * instance. Scoped to the organization, so another tenant's alert id locates nothing.
 */
export const locateAlert = async (
  q: Queryable,
  schema: string,
  alertId: string,
  organizationId: string,
): Promise<string | null> => {
  const { rows } = await q.query<{ alert_key: string }>(
    `select alert_key from ${quoteIdent(schema)}.alerts where alert_id = $1 and organization_id = $2`,
    [alertId, organizationId],
  );
  return rows[0]?.alert_key ?? null;
};
