import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.js';

describe('identity cache', () => {
  const setup = (maxEntries = 100) => {
    let now = 0;
    let loads = 0;
    const cache = createTtlCache<string>({ ttlMs: 5_000, maxEntries, now: () => now });
    const load = (value: string) => async () => {
      loads += 1;
      return value;
    };
    return {
      cache,
      load,
      loads: () => loads,
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  it('serves a value until its time to live has passed, then asks again', async () => {
    const { cache, load, loads, advance } = setup();
    expect(await cache.get('a', load('v1'))).toBe('v1');
    advance(4_999);
    expect(await cache.get('a', load('v2'))).toBe('v1');
    advance(1);
    expect(await cache.get('a', load('v2'))).toBe('v2');
    expect(loads()).toBe(2);
  });

  it('forgets by prefix, so a write is seen at once by the process that made it', async () => {
    const { cache, load } = setup();
    await cache.get('org-a\u0000u1', load('old'));
    await cache.get('org-b\u0000u1', load('other'));
    cache.forget('org-a\u0000');
    expect(await cache.get('org-a\u0000u1', load('new'))).toBe('new');
    expect(await cache.get('org-b\u0000u1', load('changed'))).toBe('other');
  });

  it('does not keep a value loaded with a zero time to live', async () => {
    const { cache, load, loads } = setup();
    await cache.get('a', load('v1'), 0);
    expect(await cache.get('a', load('v2'))).toBe('v2');
    expect(loads()).toBe(2);
  });

  it('does not remember failures', async () => {
    const { cache, load } = setup();
    await expect(cache.get('a', () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(await cache.get('a', load('v'))).toBe('v');
  });

  it('stays within its size bound', async () => {
    const { cache, load, loads } = setup(2);
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('c', load('c'));
    await cache.get('a', load('a'));
    expect(loads()).toBe(4);
  });
});
