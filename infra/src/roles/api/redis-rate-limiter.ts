import type { RateLimit, RateLimiter, RateVerdict } from '@netpulse/api';
import type { Redis } from 'ioredis';

/**
 * One round trip, atomic: count the request and, on a window's first request, start its expiry.
 * A key that lost its expiry (restored from a dump, touched by hand) gets it back rather than
 * counting forever.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type WithHit = Redis & { netpulseRateHit(key: string, windowMs: number): Promise<[number, number]> };

export type RedisRateLimiterOptions = RateLimit &
  Readonly<{
    redis: Redis;
    /** Namespaces the counters (several limiters, or several deployments, on one Redis). */
    prefix: string;
    /**
     * Used while Redis cannot answer: requests keep being limited per process instead of failing
     * (which would take the API down with Redis) or passing unlimited.
     */
    fallback: RateLimiter;
    onError?: (error: unknown) => void;
  }>;

/**
 * A fixed window per key shared by every API process: the window opens at the key's first request
 * anywhere and lasts `windowMs`, exactly like the in-memory limiter.
 */
export const createRedisRateLimiter = (options: RedisRateLimiterOptions): RateLimiter => {
  const redis = options.redis as WithHit;
  if (typeof redis.netpulseRateHit !== 'function')
    redis.defineCommand('netpulseRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  return {
    consume: async (key: string): Promise<RateVerdict> => {
      try {
        const [count, ttlMs] = await redis.netpulseRateHit(`${options.prefix}${key}`, options.windowMs);
        if (count <= options.limit) return { allowed: true, retryAfterSeconds: 0 };
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
      } catch (error) {
        options.onError?.(error);
        return options.fallback.consume(key);
      }
    },
  };
};
