import pg from 'pg';
import type { Queryable } from '../sql/queryable.js';

/**
 * The channel a read-model schema's projectors announce their commits on; the payload names the
 * projection. Readers that keep query results (the API's page cache) drop them when it speaks.
 */
export const readModelChannel = (schema: string): string => `np_readmodels_${schema}`.slice(0, 63);

/**
 * Announces, inside the transaction that changes `projection`'s rows, that they changed. PostgreSQL
 * delivers the notification only once the transaction commits, so a listener that hears it can
 * already read the new rows, and a rolled-back batch announces nothing.
 */
export const announceChange = async (client: Queryable, schema: string, projection: string) => {
  await client.query(announceStatement(schema, projection));
};

/** announceChange as a statement with its values inline, to share a message with the commit. */
export const announceStatement = (schema: string, projection: string): string =>
  `select pg_notify(${pg.escapeLiteral(readModelChannel(schema))}, ${pg.escapeLiteral(projection)})`;
