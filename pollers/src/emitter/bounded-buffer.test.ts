import { describe, expect, it } from 'vitest';
import { BoundedBuffer } from './bounded-buffer.js';

describe('BoundedBuffer', () => {
  it('keeps FIFO order and never exceeds its capacity, dropping the oldest', () => {
    const buffer = new BoundedBuffer<number>(3);
    expect(buffer.push(1)).toBeUndefined();
    buffer.push(2);
    buffer.push(3);
    expect(buffer.push(4)).toBe(1);
    expect(buffer.size).toBe(3);
    expect(buffer.take(2)).toEqual([2, 3]);
    expect(buffer.take(10)).toEqual([4]);
    expect(buffer.size).toBe(0);
  });

  it('stays correct over many cycles (compaction)', () => {
    const buffer = new BoundedBuffer<number>(5_000);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < 3_000; i += 1) buffer.push(next++);
      const taken = buffer.take(2_999);
      expect(taken[0]).toBe(expected);
      expect(taken.every((value, i) => value === expected + i)).toBe(true);
      expected += taken.length;
    }
    expect(buffer.size).toBeLessThanOrEqual(5_000);
  });
});
