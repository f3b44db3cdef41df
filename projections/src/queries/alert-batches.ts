import { type Queryable, quoteIdent } from '../sql/queryable.js';
import type { AlertTimelineEntry } from './alerts.js';

/** The timelines of several alerts in one query, each in stream order. */
export const alertTimelines = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; alertIds: readonly string[] }>,
): Promise<Map<string, AlertTimelineEntry[]>> => {
  const timelines = new Map<string, AlertTimelineEntry[]>(input.alertIds.map((id) => [id, []]));
  if (input.alertIds.length === 0) return timelines;
  const { rows } = await q.query<AlertTimelineEntry & { alertId: string }>(
    `select alert_id as "alertId", event_id as "eventId", type, at,
       json_build_object('kind', actor_kind, 'id', actor_id) as actor, data
     from ${quoteIdent(schema)}.alert_timeline
     where organization_id = $1 and alert_id = any($2::text[]) order by alert_id, stream_version`,
    [input.organizationId, input.alertIds],
  );
  for (const { alertId, ...entry } of rows) timelines.get(alertId)?.push(entry);
  return timelines;
};

/**
 * The version of each alert's stream as the read model has seen it. An alert stream is keyed by
 * reduction key and holds every instance of that key, so the version is the highest of all of them:
 * what a client passes as expectedVersion, consistent with the alert it was shown.
 */
export const alertStreamVersions = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; alertIds: readonly string[] }>,
): Promise<Map<string, bigint>> => {
  if (input.alertIds.length === 0) return new Map();
  const s = quoteIdent(schema);
  const { rows } = await q.query<{ alertId: string; version: string | null }>(
    `select a.alert_id as "alertId",
       (select max(t.stream_version) from ${s}.alerts sibling
          join ${s}.alert_timeline t on t.alert_id = sibling.alert_id
        where sibling.alert_key = a.alert_key)::text as version
     from ${s}.alerts a where a.organization_id = $1 and a.alert_id = any($2::text[])`,
    [input.organizationId, input.alertIds],
  );
  return new Map(
    rows.flatMap((row) => (row.version === null ? [] : [[row.alertId, BigInt(row.version)] as const])),
  );
};
