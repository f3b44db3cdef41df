/**
 * Keyset pagination: a cursor is the sort key of the last row of a page, base64url-encoded JSON.
 * Stable under inserts, unlike offsets.
 */
export type Page<T> = Readonly<{ items: T[]; nextCursor: string | null }>;

export const encodeCursor = (key: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

export const decodeCursor = (cursor: string | null | undefined): unknown[] | null => {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API returned');
};

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  readonly code = 'BAD_USER_INPUT';
}

export const clampLimit = (limit: number | undefined, fallback = 50, max = 500): number =>
  Math.max(1, Math.min(max, Math.trunc(limit ?? fallback)));

/** Builds a page from `limit + 1` fetched rows. */
export const toPage = <T>(rows: T[], limit: number, keyOf: (row: T) => readonly unknown[]): Page<T> => {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
};
