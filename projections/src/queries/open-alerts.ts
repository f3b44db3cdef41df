import { type Queryable, quoteIdent } from '../sql/queryable.js';
import { type AlertView, alertViewColumns } from './alerts.js';
import { clampLimit, decodeCursor, type Page, toPage } from './cursor.js';

/** Alerts not resolved yet (open or acknowledged, suppressed ones included) of one organization. */
export const openAlertCount = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string }>,
): Promise<number> => {
  const { rows } = await q.query<{ count: number }>(
    `select count(*)::int as count from ${quoteIdent(schema)}.alerts
     where organization_id = $1 and state <> 'resolved'`,
    [input.organizationId],
  );
  return rows[0]?.count ?? 0;
};

/** The unresolved alerts of several devices at once, newest first per device. */
export const activeAlertsOfDevices = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceIds: readonly string[] }>,
): Promise<AlertView[]> => {
  if (input.deviceIds.length === 0) return [];
  const { rows } = await q.query<AlertView>(
    `select ${alertViewColumns} from ${quoteIdent(schema)}.alerts
     where organization_id = $1 and device_id = any($2::text[]) and state <> 'resolved'
     order by raised_at desc, alert_id desc`,
    [input.organizationId, input.deviceIds],
  );
  return rows;
};

export type OpenAtCandidate = Readonly<{ alertId: string; alertKey: string; raisedAt: Date }>;

/**
 * Alert instances that may have been open at `at` as the event store recorded it: raised by then and
 * not resolved by then. The alerts table holds decision times, the audit index recording times:
 * an instance qualifies while unresolved, or when its resolution was recorded after `at`. A raise
 * is decided (at the observation's time) before it is recorded, so `raised_at <= at` misses nothing,
 * save for a poller clock running ahead, which `clockSkewMs` allows for. The caller confirms each
 * candidate by replaying its stream as of `at`. Newest raise first, with keyset pagination.
 */
export const alertsOpenCandidates = async (
  q: Queryable,
  schema: string,
  input: Readonly<{
    organizationId: string;
    at: Date;
    clockSkewMs: number;
    limit?: number;
    cursor?: string | null;
  }>,
): Promise<Page<OpenAtCandidate>> => {
  const s = quoteIdent(schema);
  const limit = clampLimit(input.limit);
  const skew = `${Math.max(0, Math.trunc(input.clockSkewMs))} milliseconds`;
  const params: unknown[] = [input.organizationId, input.at, skew];
  const where = [
    'a.organization_id = $1',
    'a.raised_at <= $2::timestamptz + $3::interval',
    `(a.state <> 'resolved' or a.alert_id in (
       select t.alert_id from ${s}.audit_index x join ${s}.alert_timeline t on t.event_id = x.event_id
       where x.organization_id = $1 and x.action = 'AlertResolved' and x.occurred_at > $2))`,
  ];
  const after = decodeCursor(input.cursor);
  if (after) {
    params.push(String(after[0]), String(after[1]));
    where.push(`(a.raised_at, a.alert_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(limit + 1);
  const { rows } = await q.query<OpenAtCandidate & { cursorTime: string }>(
    `select a.alert_id as "alertId", a.alert_key as "alertKey", a.raised_at as "raisedAt",
       a.raised_at::text as "cursorTime"
     from ${s}.alerts a where ${where.join(' and ')}
     order by a.raised_at desc, a.alert_id desc limit $${params.length}`,
    params,
  );
  const page = toPage(rows, limit, (row) => [row.cursorTime, row.alertId]);
  return { ...page, items: page.items.map(({ cursorTime: _, ...candidate }) => candidate) };
};
