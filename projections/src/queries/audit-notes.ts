import { type Queryable, quoteIdent } from '../sql/queryable.js';

/** Alert events whose actor gave a note, and where the note is in their data. */
const noteOf = `case type when 'AlertNoteAdded' then data->>'text' else data->>'note' end`;

/**
 * The notes carried by audited actions (acknowledge, unacknowledge, resolve, add note), looked up
 * for a page of audit entries at once. The audit index points at events; the alert timeline keeps
 * their data.
 */
export const auditNotes = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; eventIds: readonly string[] }>,
): Promise<Map<string, string>> => {
  if (input.eventIds.length === 0) return new Map();
  const { rows } = await q.query<{ eventId: string; note: string }>(
    `select event_id as "eventId", ${noteOf} as note from ${quoteIdent(schema)}.alert_timeline
     where organization_id = $1 and event_id = any($2::text[])
       and type in ('AlertAcknowledged', 'AlertUnacknowledged', 'AlertResolved', 'AlertNoteAdded')
       and ${noteOf} is not null`,
    [input.organizationId, input.eventIds],
  );
  return new Map(rows.map((row) => [row.eventId, row.note]));
};
