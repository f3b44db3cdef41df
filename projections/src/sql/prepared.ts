import { createHash } from 'node:crypto';

export type PreparedQuery = Readonly<{ name: string; text: string; values: unknown[] }>;

const names = new Map<string, string>();
/** Query shapes are few (filters × schemas); the bound only guards against a generator of texts. */
const MAX_NAMES = 1_000;

/**
 * A named statement: pg prepares it once per connection and PostgreSQL then skips parsing and,
 * after a few runs, planning. For the short reads the API repeats, planning cost several times the
 * execution (a devices page: 0.3 ms to plan the view's join, 0.08 ms to run it). The name derives
 * from the text, so equal texts share one statement and different ones never collide.
 */
export const prepared = (text: string, values: unknown[]): PreparedQuery => {
  let name = names.get(text);
  if (!name) {
    if (names.size >= MAX_NAMES) names.clear();
    name = `np_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values };
};
