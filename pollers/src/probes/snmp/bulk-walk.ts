import { compareOids } from './oids.js';
import { MalformedReplyError } from './snmp-errors.js';
import { getBulk, isVarbindError, type SnmpSession, type Varbind } from './snmp-lib.js';

/** Rows of a walked table: column OID → row index (the OID suffix) → varbind. */
export type ColumnValues = Map<string, Map<string, Varbind>>;
export type WalkResult = Readonly<{ values: ColumnValues; truncated: boolean }>;

export type WalkOptions = Readonly<{
  maxRepetitions?: number;
  /** Upper bound on round trips, so an agent that never ends a table cannot hold the poll forever. */
  maxRequests?: number;
}>;

/**
 * Walks several columns of a table side by side with GETBULK: each request asks for the next rows of
 * every column still inside its subtree. Rows of one table share indexes, so the columns advance in
 * step and a table of n rows costs about n / maxRepetitions round trips.
 */
export const walkColumns = async (
  session: SnmpSession,
  columns: readonly string[],
  options: WalkOptions = {},
): Promise<WalkResult> => {
  let maxRepetitions = options.maxRepetitions ?? 25;
  const maxRequests = options.maxRequests ?? 200;
  const cursors = columns.map((column) => ({ column, next: column, done: false }));
  const values: ColumnValues = new Map(columns.map((column) => [column, new Map()]));
  for (let request = 0; request < maxRequests; request += 1) {
    const active = cursors.filter((cursor) => !cursor.done);
    if (active.length === 0) return { values, truncated: false };
    let reply: (Varbind | Varbind[])[];
    try {
      reply = await getBulk(
        session,
        active.map((cursor) => cursor.next),
        maxRepetitions,
      );
    } catch (error) {
      // tooBig (1): the agent cannot fit the reply in one datagram; ask for fewer rows.
      if ((error as { status?: unknown }).status === 1 && maxRepetitions > 1) {
        maxRepetitions = Math.max(1, Math.floor(maxRepetitions / 2));
        continue;
      }
      throw error;
    }
    active.forEach((cursor, position) => {
      const entry = reply[position];
      const rows = Array.isArray(entry) ? entry : entry ? [entry] : [];
      if (rows.length === 0) cursor.done = true;
      const prefix = `${cursor.column}.`;
      for (const varbind of rows) {
        if (isVarbindError(varbind) || !varbind.oid.startsWith(prefix)) {
          cursor.done = true;
          break;
        }
        if (compareOids(varbind.oid, cursor.next) <= 0) {
          throw new MalformedReplyError('the agent returned OIDs out of order');
        }
        values.get(cursor.column)!.set(varbind.oid.slice(prefix.length), varbind);
        cursor.next = varbind.oid;
      }
    });
  }
  return { values, truncated: cursors.some((cursor) => !cursor.done) };
};
