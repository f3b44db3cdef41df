import { describe, expect, it } from 'vitest';
import { LiveError } from './live-errors.js';
import { whileAuthorized } from './while-authorized.js';

/**
 * A stream that yields what is pushed into it and records being ended; ending it wakes a waiting
 * `next`, as the live streams' queues do.
 */
const pushStream = () => {
  const waiting: Array<(result: IteratorResult<number>) => void> = [];
  const state = { returned: false };
  const stream: AsyncIterableIterator<number> = {
    next: () => new Promise((resolve) => waiting.push(resolve)),
    return: async () => {
      state.returned = true;
      for (const wake of waiting.splice(0)) wake({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return { stream, state, push: (value: number) => waiting.shift()?.({ value, done: false }) };
};

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LiveError);
  return error as LiveError;
};

describe('whileAuthorized', () => {
  it('delivers while the credentials are valid, then ends the stream with UNAUTHENTICATED', async () => {
    const { stream, state, push } = pushStream();
    const live = whileAuthorized(
      stream,
      { expiresAt: new Date(Date.now() + 150), recheckMs: 60_000 },
      Date.now,
    );
    const first = live.next();
    push(1);
    expect(await first).toEqual({ value: 1, done: false });
    const error = await rejection(live.next());
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect(state.returned).toBe(true);
  });

  it('ends at once when the credentials expired before the subscription started', async () => {
    const { stream, state } = pushStream();
    const live = whileAuthorized(
      stream,
      { expiresAt: new Date(Date.now() - 1), recheckMs: 60_000 },
      Date.now,
    );
    expect((await rejection(live.next())).extensions.code).toBe('UNAUTHENTICATED');
    expect(state.returned).toBe(true);
  });

  it('leaves a stream whose credentials never expire as it is, and a client ending early stops the clock', async () => {
    const never = pushStream();
    expect(whileAuthorized(never.stream, { recheckMs: 60_000 }, Date.now)).toBe(never.stream);

    const { stream, state } = pushStream();
    const live = whileAuthorized(
      stream,
      { expiresAt: new Date(Date.now() + 60_000), recheckMs: 60_000 },
      Date.now,
    );
    expect(await live.return?.()).toEqual({ value: undefined, done: true });
    expect(state.returned).toBe(true);
  });

  it('ends with the recheck’s error once the credentials are revoked, and rides out a recheck that fails', async () => {
    const { stream, state, push } = pushStream();
    let verdict: 'allowed' | 'unavailable' | 'revoked' = 'allowed';
    let rechecks = 0;
    const recheck = async () => {
      rechecks += 1;
      if (verdict === 'unavailable') throw new Error('database away');
      return verdict === 'revoked' ? new LiveError('API key revoked', { code: 'UNAUTHENTICATED' }) : null;
    };
    const live = whileAuthorized(stream, { recheck, recheckMs: 30 }, Date.now);
    const first = live.next();
    push(1);
    expect(await first).toEqual({ value: 1, done: false });
    verdict = 'unavailable';
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rechecks).toBeGreaterThanOrEqual(2);
    const second = live.next();
    push(2);
    expect(await second).toEqual({ value: 2, done: false });
    verdict = 'revoked';
    const error = await rejection(live.next());
    expect(error.message).toBe('API key revoked');
    expect(state.returned).toBe(true);
  });
});
