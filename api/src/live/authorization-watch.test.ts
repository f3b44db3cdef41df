import { describe, expect, it } from 'vitest';
import { watchAuthorization } from './authorization-watch.js';
import { LiveError } from './live-errors.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records the refusals a watch reports. */
const refusals = () => {
  const seen: LiveError[] = [];
  return { seen, onRefused: (error: LiveError) => seen.push(error) };
};

describe('watchAuthorization', () => {
  it('stays quiet while the credentials are valid, then refuses once with UNAUTHENTICATED at their expiry', async () => {
    const { seen, onRefused } = refusals();
    watchAuthorization({ expiresAt: new Date(Date.now() + 120), recheckMs: 60_000 }, Date.now, onRefused);
    await sleep(40);
    expect(seen).toHaveLength(0);
    await sleep(200);
    expect(seen.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses at once when the credentials expired before the subscription started', () => {
    const { seen, onRefused } = refusals();
    watchAuthorization({ expiresAt: new Date(Date.now() - 1), recheckMs: 60_000 }, Date.now, onRefused);
    expect(seen.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('never refuses once stopped (the client ended first)', async () => {
    const { seen, onRefused } = refusals();
    const stop = watchAuthorization(
      { expiresAt: new Date(Date.now() + 50), recheckMs: 60_000 },
      Date.now,
      onRefused,
    );
    stop();
    await sleep(120);
    expect(seen).toHaveLength(0);
  });

  it('refuses with the recheck’s error once the credentials are revoked, and rides out a recheck that fails', async () => {
    const { seen, onRefused } = refusals();
    let verdict: 'allowed' | 'unavailable' | 'revoked' = 'allowed';
    let rechecks = 0;
    const recheck = async () => {
      rechecks += 1;
      if (verdict === 'unavailable') throw new Error('database away');
      return verdict === 'revoked' ? new LiveError('API key revoked', { code: 'UNAUTHENTICATED' }) : null;
    };
    watchAuthorization({ recheck, recheckMs: 30 }, Date.now, onRefused);
    await sleep(80);
    expect(rechecks).toBeGreaterThanOrEqual(2);
    verdict = 'unavailable';
    await sleep(80);
    expect(seen).toHaveLength(0);
    verdict = 'revoked';
    await sleep(80);
    expect(seen.map((error) => error.message)).toEqual(['API key revoked']);
    const after = rechecks;
    await sleep(80);
    expect(rechecks).toBe(after);
  });
});
