import pg from 'pg';
import { parseTimestamptz } from './timestamp-parser.js';

// int8 (bigint) and numeric columns arrive as strings by default; positions are bigint in NetPulse.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => BigInt(value));
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);

export type PoolOptions = Readonly<{
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** A writer that forgets its transaction must not hold back every reader's snapshot horizon. */
  idleInTransactionTimeoutMs?: number;
}>;

export const createPool = (options: PoolOptions): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'netpulse',
    options: `-c idle_in_transaction_session_timeout=${options.idleInTransactionTimeoutMs ?? 10_000}`,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // replaces it on the next checkout.
  pool.on('error', () => {});
  // A checked-out client has no pool listener for 'error', yet pg emits one when the connection
  // drops, and an unheard 'error' event ends the process. With this one on every client, the query
  // in progress still fails (callers retry or report it) and the pool discards the dead client on
  // release — in every code path that borrows a client, not only the ones that remember to listen.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
};

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
