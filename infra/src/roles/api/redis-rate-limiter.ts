import {
  type BudgetGrant,
  createLeasedRateLimiter,
  type RateLimit,
  type RateLimiter,
  type SharedRateBudget,
} from '@netpulse/api';
import type { Redis } from 'ioredis';

/**
 * One round trip, atomic: grant what is waiting while the window has room, and a look-ahead only
 * from the first half of the window's budget (so leases never decide who is refused: near the
 * limit every request is counted as it comes). A window opens at its key's first grant; a key that
 * lost its expiry (restored from a dump, touched by hand) gets it back rather than counting forever.
 * The window's id is its end on Redis's clock, the same for every call within one window.
 */
const TAKE_SCRIPT = `
local limit = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local extra = tonumber(ARGV[4])
local room = limit - tonumber(redis.call('GET', KEYS[1]) or '0')
local granted = 0
if room > 0 then
  granted = math.min(need, room)
  local spare = room - granted - math.ceil(limit / 2)
  if spare > 0 then granted = granted + math.min(extra, math.floor(spare / 2)) end
end
if granted > 0 then redis.call('INCRBY', KEYS[1], granted) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
local now = redis.call('TIME')
return {granted, ttl, now[1] * 1000 + math.floor(now[2] / 1000) + ttl}`;

/** Unused requests go back only to the window they came from (ids within 2 ms: clock rounding). */
const GIVE_BACK_SCRIPT = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
local now = redis.call('TIME')
if math.abs(now[1] * 1000 + math.floor(now[2] / 1000) + ttl - tonumber(ARGV[2])) > 2 then return 0 end
redis.call('DECRBY', KEYS[1], ARGV[1])
return 1`;

type WithScripts = Redis & {
  netpulseRateTake(
    key: string,
    windowMs: number,
    limit: number,
    need: number,
    extra: number,
  ): Promise<[number, number, number]>;
  netpulseRateGiveBack(key: string, unused: number, windowId: number): Promise<number>;
};

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
    /** How long requests taken ahead are kept before the rest goes back (default 1 s). */
    leaseMs?: number;
  }>;

/** A key's fixed windows kept in Redis, shared by every API process. */
export const redisRateBudget = (options: RedisRateLimiterOptions): SharedRateBudget => {
  const redis = options.redis as WithScripts;
  if (typeof redis.netpulseRateTake !== 'function') {
    redis.defineCommand('netpulseRateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    redis.defineCommand('netpulseRateGiveBack', { numberOfKeys: 1, lua: GIVE_BACK_SCRIPT });
  }
  return {
    take: async (key, need, extra): Promise<BudgetGrant> => {
      const [granted, windowLeftMs, windowId] = await redis.netpulseRateTake(
        `${options.prefix}${key}`,
        options.windowMs,
        options.limit,
        need,
        extra,
      );
      return { granted, windowLeftMs, windowId };
    },
    giveBack: async (key, unused, windowId) => {
      await redis.netpulseRateGiveBack(`${options.prefix}${key}`, unused, windowId);
    },
  };
};

/**
 * A fixed window per key shared by every API process: the window opens at the key's first request
 * anywhere and lasts `windowMs`, exactly like the in-memory limiter. A busy key's process takes
 * requests ahead and spends them without a round trip per request (see leased-rate-limiter.ts).
 */
export const createRedisRateLimiter = (options: RedisRateLimiterOptions): RateLimiter =>
  createLeasedRateLimiter({
    budget: redisRateBudget(options),
    fallback: options.fallback,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
