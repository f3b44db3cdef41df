import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ReadModelCache, type ReadModelChanges } from './read-model-cache.js';

/** Changes as a listener hears them: a generation per change, per read model. */
class HeardChanges implements ReadModelChanges {
  listening = true;
  currentGeneration = 0;
  private readonly changedAt = new Map<string, number>();

  change(readModel: string): void {
    this.currentGeneration += 1;
    this.changedAt.set(readModel, this.currentGeneration);
  }

  changedSince(generation: number, readModels: readonly string[]): boolean {
    return readModels.some((name) => (this.changedAt.get(name) ?? 0) > generation);
  }
}

/** A load that counts its calls and resolves when told to. */
const loader = () => {
  let calls = 0;
  const pending: Array<(value: string) => void> = [];
  return {
    load: () => {
      calls += 1;
      return new Promise<string>((resolve) => pending.push(resolve));
    },
    finish: (value: string) => {
      for (const resolve of pending.splice(0)) resolve(value);
    },
    get calls() {
      return calls;
    },
  };
};

const setup = (options: { maxEntries?: number; maxAgeMs?: number } = {}) => {
  const changes = new HeardChanges();
  let now = 0;
  const registry = new Registry();
  const cache = new ReadModelCache({ changes, now: () => now, registry, ...options });
  const outcomes = async () =>
    Object.fromEntries(
      ((await registry.getSingleMetric('netpulse_read_cache_reads_total')?.get())?.values ?? []).map((v) => [
        v.labels.outcome,
        v.value,
      ]),
    );
  const advance = (ms: number) => {
    now += ms;
  };
  return { changes, cache, outcomes, advance };
};

describe('ReadModelCache', () => {
  it('given a kept page and no change, when it is asked again, then it is not read again', async () => {
    const { cache, outcomes } = setup();
    const read = loader();
    const first = cache.read('devices', 'page-1', read.load);
    read.finish('v1');
    expect(await first).toBe('v1');
    expect(await cache.read('devices', 'page-1', read.load)).toBe('v1');
    expect(read.calls).toBe(1);
    expect(await outcomes()).toEqual({ miss: 1, hit: 1 });
  });

  it('given a read in flight, when the same key is asked, then both share the one read', async () => {
    const { cache } = setup();
    const read = loader();
    const both = Promise.all([cache.read('devices', 'k', read.load), cache.read('devices', 'k', read.load)]);
    read.finish('v1');
    expect(await both).toEqual(['v1', 'v1']);
    expect(read.calls).toBe(1);
  });

  it('given a kept page, when its read model changes, then the next ask reads it again', async () => {
    const { cache, changes } = setup();
    const read = loader();
    const first = cache.read('devices', 'k', read.load);
    read.finish('v1');
    await first;
    changes.change('devices');
    const second = cache.read('devices', 'k', read.load);
    read.finish('v2');
    expect(await second).toBe('v2');
    expect(read.calls).toBe(2);
  });

  it('given a change while the read was in flight, when asked after it, then the read is not trusted', async () => {
    const { cache, changes } = setup();
    const read = loader();
    const first = cache.read('devices', 'k', read.load);
    // The read may have seen the rows before or after the commit: only a fresh read is sure.
    changes.change('devices');
    read.finish('maybe-old');
    await first;
    const second = cache.read('devices', 'k', read.load);
    read.finish('v2');
    expect(await second).toBe('v2');
    expect(read.calls).toBe(2);
  });

  it('given a change to another read model, when asked again, then the kept page still serves', async () => {
    const { cache, changes } = setup();
    const read = loader();
    const first = cache.read('devices', 'k', read.load);
    read.finish('v1');
    await first;
    changes.change('alerts');
    expect(await cache.read('devices', 'k', read.load)).toBe('v1');
    expect(read.calls).toBe(1);
  });

  it('given changes cannot be heard, when asked twice, then both read and nothing is kept', async () => {
    const { cache, changes, outcomes } = setup();
    changes.listening = false;
    const read = loader();
    const both = Promise.all([cache.read('devices', 'k', read.load), cache.read('devices', 'k', read.load)]);
    read.finish('v1');
    await both;
    expect(read.calls).toBe(2);
    expect(cache.size).toBe(0);
    expect(await outcomes()).toEqual({ bypass: 2 });
  });

  it('given a failed read, when asked again, then it reads again', async () => {
    const { cache } = setup();
    await expect(
      cache.read('devices', 'k', () => Promise.reject(new Error('connection lost'))),
    ).rejects.toThrow('connection lost');
    expect(await cache.read('devices', 'k', async () => 'v1')).toBe('v1');
  });

  it('given a page older than the age bound, when asked, then it reads again', async () => {
    const { cache, advance } = setup({ maxAgeMs: 1_000 });
    expect(await cache.read('devices', 'k', async () => 'v1')).toBe('v1');
    advance(999);
    expect(await cache.read('devices', 'k', async () => 'v2')).toBe('v1');
    advance(1);
    expect(await cache.read('devices', 'k', async () => 'v3')).toBe('v3');
  });

  it('given more keys than it keeps, when one more is read, then the least recently asked goes', async () => {
    const { cache } = setup({ maxEntries: 2 });
    await cache.read('devices', 'a', async () => 'a1');
    await cache.read('devices', 'b', async () => 'b1');
    await cache.read('devices', 'a', async () => 'a2');
    await cache.read('devices', 'c', async () => 'c1');
    expect(cache.size).toBe(2);
    expect(await cache.read('devices', 'a', async () => 'a3')).toBe('a1');
    expect(await cache.read('devices', 'b', async () => 'b2')).toBe('b2');
  });
});
