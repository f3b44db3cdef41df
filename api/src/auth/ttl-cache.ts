/**
 * A small read-through cache with a time to live and a size bound. Identity lookups go through it
 * so a token check costs no query most of the time, while a revoked role or key stops working
 * within `ttlMs`. Keys may be attacker-chosen (key ids), hence the bound.
 */
export const createTtlCache = <V>(
  options: Readonly<{ ttlMs: number; maxEntries: number; now: () => number }>,
) => {
  const entries = new Map<string, { value: Promise<V>; expiresAt: number }>();
  return {
    /** `ttlMs` overrides the default for this load (0: use it once, do not keep it). */
    get: (key: string, load: () => Promise<V>, ttlMs = options.ttlMs): Promise<V> => {
      const at = options.now();
      const cached = entries.get(key);
      if (cached && cached.expiresAt > at) return cached.value;
      entries.delete(key);
      if (entries.size >= options.maxEntries) {
        // Insertion order is expiry order: the first entry is the oldest.
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      const value = load();
      entries.set(key, { value, expiresAt: at + ttlMs });
      // A failed lookup is not remembered: the next request asks again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    /** Forgets every entry whose key starts with `prefix` (after a write this process made). */
    forget: (prefix: string): void => {
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
};
export type TtlCache<V> = ReturnType<typeof createTtlCache<V>>;
