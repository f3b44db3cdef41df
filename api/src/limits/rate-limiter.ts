/** The verdict on one request: whether it may proceed and, if not, when to try again. */
export type RateVerdict = Readonly<{ allowed: boolean; retryAfterSeconds: number }>;

/**
 * Counts requests per key (an identity, or an IP before login) in fixed windows. One
 * implementation per process (memory) and one shared by every API replica (Redis, in infra).
 */
export interface RateLimiter {
  consume(key: string): Promise<RateVerdict>;
}

export type RateLimit = Readonly<{
  /** Requests a key may make per window. */
  limit: number;
  windowMs: number;
}>;
