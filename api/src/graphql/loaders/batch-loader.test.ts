import { describe, expect, it } from 'vitest';
import { createBatchLoader } from './batch-loader.js';

describe('batch loader', () => {
  it('sends the keys requested during one tick as one batch, once per key', async () => {
    const batches: string[][] = [];
    const loader = createBatchLoader<string, number>(async (keys) => {
      batches.push([...keys]);
      return new Map(keys.filter((key) => key !== 'missing').map((key) => [key, key.length]));
    });
    const values = await Promise.all(['a', 'bb', 'a', 'missing'].map((key) => loader.load(key)));
    expect(values).toEqual([1, 2, 1, undefined]);
    expect(batches).toEqual([['a', 'bb', 'missing']]);
    expect(await loader.load('bb')).toBe(2);
    expect(batches).toHaveLength(1);
  });

  it('collects loads made by resolvers awaiting earlier promises into the same batch', async () => {
    const batches: string[][] = [];
    const loader = createBatchLoader<string, string>(async (keys) => {
      batches.push([...keys]);
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    const viaPromise = Promise.resolve().then(() => loader.load('b'));
    const direct = loader.load('a');
    expect(await Promise.all([direct, viaPromise])).toEqual(['A', 'B']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('splits large batches and forgets failed keys so they are tried again', async () => {
    let calls = 0;
    const loader = createBatchLoader<number, number>(async (keys) => {
      calls++;
      if (calls === 1) throw new Error('database went away');
      return new Map(keys.map((key) => [key, key * 2]));
    }, 2);
    await expect(loader.load(1)).rejects.toThrow('database went away');
    expect(await Promise.all([1, 2, 3].map((key) => loader.load(key)))).toEqual([2, 4, 6]);
    expect(calls).toBe(3);
  });
});
