import { rateLimited } from '../graphql/api-error.js';
import type { RateLimiter } from '../limits/rate-limiter.js';

const MAX_BLOCKED = 10_000;

/**
 * Password guessing per e-mail: only failed attempts count (a script that logs in correctly and
 * often is not an attacker), and once the limiter refuses one, this process refuses further
 * attempts for that e-mail without spending a password verification on them until the window
 * ends. Other processes learn it at their next failure, so each gets at most one extra guess.
 */
export const loginThrottle = (limiter: RateLimiter | undefined, now: () => number) => {
  const blockedUntil = new Map<string, number>();
  const refuse = (until: number) => rateLimited(Math.max(1, Math.ceil((until - now()) / 1000)));
  return {
    check: (key: string): void => {
      const until = blockedUntil.get(key);
      if (until === undefined) return;
      if (until > now()) throw refuse(until);
      blockedUntil.delete(key);
    },
    failed: async (key: string): Promise<void> => {
      if (!limiter) return;
      const verdict = await limiter.consume(key);
      if (verdict.allowed) return;
      if (blockedUntil.size >= MAX_BLOCKED) {
        const at = now();
        for (const [blocked, until] of blockedUntil) if (until <= at) blockedUntil.delete(blocked);
        if (blockedUntil.size >= MAX_BLOCKED) blockedUntil.clear();
      }
      const until = now() + verdict.retryAfterSeconds * 1000;
      blockedUntil.set(key, until);
      throw refuse(until);
    },
  };
};
