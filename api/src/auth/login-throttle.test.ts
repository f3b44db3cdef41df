import { describe, expect, it } from 'vitest';
import { ApiError } from '../graphql/api-error.js';
import { createMemoryRateLimiter } from '../limits/memory-rate-limiter.js';
import { loginThrottle } from './login-throttle.js';

describe('login throttle', () => {
  const setup = () => {
    let time = 0;
    const now = () => time;
    const throttle = loginThrottle(createMemoryRateLimiter({ limit: 3, windowMs: 60_000, now }), now);
    return {
      throttle,
      advance: (ms: number) => {
        time += ms;
      },
    };
  };
  const codeOf = async (work: () => unknown) => {
    try {
      await work();
      return 'passed';
    } catch (error) {
      return error instanceof ApiError ? error.code : 'other';
    }
  };

  it('counts failures only, refuses once they exceed the limit, and forgives after the window', async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 10; i++) expect(await codeOf(() => throttle.check('login:ada'))).toBe('passed');
    for (let i = 0; i < 3; i++) expect(await codeOf(() => throttle.failed('login:ada'))).toBe('passed');
    expect(await codeOf(() => throttle.failed('login:ada'))).toBe('RATE_LIMITED');
    // Further attempts are refused before any password is checked.
    expect(await codeOf(() => throttle.check('login:ada'))).toBe('RATE_LIMITED');
    expect(await codeOf(() => throttle.check('login:bob'))).toBe('passed');
    advance(60_000);
    expect(await codeOf(() => throttle.check('login:ada'))).toBe('passed');
    expect(await codeOf(() => throttle.failed('login:ada'))).toBe('passed');
  });

  it('does nothing without a limiter', async () => {
    const throttle = loginThrottle(undefined, () => 0);
    for (let i = 0; i < 100; i++) await throttle.failed('login:ada');
    expect(await codeOf(() => throttle.check('login:ada'))).toBe('passed');
  });
});
