import { detectBackend } from '@netpulse/testing';
import { Redis } from 'ioredis';

/** The Redis service the tests use; TEST_REDIS_URL overrides it. */
export const testRedisUrl = (): string => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Skips (with the reason printed) when Redis does not answer; under CI=true a missing Redis fails. */
export const detectRedis = () =>
  detectBackend('Redis service', async () => {
    const redis = new Redis(testRedisUrl(), {
      lazyConnect: true,
      connectTimeout: 3_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });
