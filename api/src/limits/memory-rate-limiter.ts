import type { RateLimit, RateLimiter, RateVerdict } from './rate-limiter.js';

type Window = { startedAt: number; count: number };

export type MemoryRateLimiterOptions = RateLimit &
  Readonly<{
    /** Milliseconds since the epoch; a test passes a controlled clock. */
    now?: () => number;
    /** Keys kept before expired windows are swept, so attacker-chosen keys cannot grow memory without bound. */
    maxKeys?: number;
  }>;

/**
 * A window opens at a key's first request and lasts `windowMs` (the same rule the Redis limiter
 * applies with INCR + PEXPIRE), so both behave alike when a deployment switches between them.
 */
export const createMemoryRateLimiter = (options: MemoryRateLimiterOptions): RateLimiter => {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, Window>();

  // Windows sit in the map in the order they opened, so expired ones are always at the front.
  const makeRoom = (at: number) => {
    for (const [key, window] of windows) {
      if (at - window.startedAt < options.windowMs && windows.size < maxKeys) return;
      // Expired, or still full of live windows: the oldest goes (a forgotten key starts afresh).
      windows.delete(key);
    }
  };

  return {
    consume: async (key: string): Promise<RateVerdict> => {
      const at = now();
      let window = windows.get(key);
      if (!window || at - window.startedAt >= options.windowMs) {
        windows.delete(key);
        makeRoom(at);
        window = { startedAt: at, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= options.limit) return { allowed: true, retryAfterSeconds: 0 };
      const remainingMs = window.startedAt + options.windowMs - at;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
    },
  };
};
