import { describe, expect, it } from 'vitest';
import { combinedFilter } from '../rebuild/combined-filter.js';
import { decodeCursor, encodeCursor, InvalidCursorError, toPage } from './cursor.js';
import { chooseResolution } from './metrics.js';

describe('metric tier selection', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  it('uses raw for short recent ranges, 1-minute up to a week, 1-hour beyond or past retention', () => {
    expect(chooseResolution(ago(6), now, now)).toBe('raw');
    expect(chooseResolution(ago(7), now, now)).toBe('1m');
    expect(chooseResolution(ago(24 * 7), now, now)).toBe('1m');
    expect(chooseResolution(ago(24 * 8), now, now)).toBe('1h');
    // An hour, but 10 days ago: raw is gone (7 days), the 1-minute tier still has it.
    expect(chooseResolution(ago(240), ago(239), now)).toBe('1m');
    expect(chooseResolution(ago(24 * 40), ago(24 * 40 - 1), now)).toBe('1h');
    expect(chooseResolution(ago(2), now, now, { rawDays: 1, oneMinuteDays: 1, oneHourDays: 1 })).toBe('raw');
  });
});

describe('cursor pagination', () => {
  it('round-trips a key and rejects what it did not issue', () => {
    expect(decodeCursor(encodeCursor(['a', 1]))).toEqual(['a', 1]);
    expect(decodeCursor(null)).toBeNull();
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidCursorError);
    expect(toPage([1, 2, 3], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: encodeCursor([2]) });
    expect(toPage([1, 2], 2, (n) => [n]).nextCursor).toBeNull();
  });
});

describe('a rebuild reading for several projections', () => {
  it('reads the union of their filters, and everything when one has none', () => {
    expect(
      combinedFilter([
        { categories: ['device'], eventTypes: ['DeviceStatusChanged'] },
        { categories: ['alert'] },
      ]),
    ).toEqual({ categories: ['device', 'alert'] });
    expect(combinedFilter([{ categories: ['device'] }, {}])).toEqual({});
  });
});
