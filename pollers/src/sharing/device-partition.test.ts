import { describe, expect, it } from 'vitest';
import { murmur2, partitionOf } from './device-partition.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('device → partition', () => {
  it('is the murmur2 of Kafka (vectors from Kafka’s own Utils test)', () => {
    expect(murmur2(bytes('21'))).toBe(-973932308);
    expect(murmur2(bytes('foobar'))).toBe(-790332482);
    expect(murmur2(bytes('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(bytes('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(bytes('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(bytes('abc'))).toBe(479470107);
  });

  it('is stable and within range', () => {
    for (let i = 0; i < 1_000; i += 1) {
      const partition = partitionOf(`device-${i}`, 12);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(12);
      expect(partitionOf(`device-${i}`, 12)).toBe(partition);
    }
  });

  it('spreads a fleet evenly enough that replicas share the work', () => {
    const counts = new Array<number>(12).fill(0);
    for (let i = 0; i < 12_000; i += 1) counts[partitionOf(crypto.randomUUID(), 12)]! += 1;
    for (const count of counts) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1_150);
    }
  });

  it('rejects a partition count no topic can have', () => {
    expect(() => partitionOf('d', 0)).toThrow(RangeError);
    expect(() => partitionOf('d', 1.5)).toThrow(RangeError);
  });
});
