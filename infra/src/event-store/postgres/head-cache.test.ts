import { describe, expect, it } from 'vitest';
import { HeadCache } from './head-cache.js';

describe('head cache', () => {
  it('evicts the least recently used head beyond its capacity', () => {
    const cache = new HeadCache(2);
    cache.set('a-1', { version: 0n, hash: 'x' });
    cache.set('b-1', { version: 0n, hash: 'y' });
    cache.get('a-1');
    cache.set('c-1', { version: 0n, hash: 'z' });
    expect(cache.get('b-1')).toBeUndefined();
    expect(cache.get('a-1')).toEqual({ version: 0n, hash: 'x' });
    expect(cache.size).toBe(2);
  });

  it('forgets heads that turned out stale', () => {
    const cache = new HeadCache();
    cache.set('a-1', { version: 3n, hash: 'x' });
    cache.forget(['a-1']);
    expect(cache.get('a-1')).toBeUndefined();
  });
});
