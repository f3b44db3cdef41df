/**
 * Timestamps stay text between PostgreSQL and a fold: JS Dates keep milliseconds only, so a row
 * loaded as Dates and written back would lose microseconds that a fresh rebuild keeps.
 */
export type PgTime = string;

/** Select-list expression returning a timestamptz column as exact, re-parseable text. */
export const timeText = (column: string, alias = column): string => `${column}::text as ${alias}`;
