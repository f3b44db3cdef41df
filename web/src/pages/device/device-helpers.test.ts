import { describe, expect, it } from 'vitest';
import { alignSeries } from './chart-data';
import { parseInterfaces } from './device-documents';
import { statusSegments } from './status-segments';
import { parseRange, rangeBounds } from './time-range';

const t = (minute: number) => Date.parse('2026-11-21T10:00:00Z') + minute * 60_000;
const iso = (minute: number) => new Date(t(minute)).toISOString();

describe('statusSegments', () => {
  it('splits the window at each change, starting from the status held before it', () => {
    const changes = [
      { from: 'down' as const, to: 'up' as const, reason: null, at: iso(40) },
      { from: 'up' as const, to: 'down' as const, reason: 'tcp REFUSED', at: iso(20) },
      { from: 'unknown' as const, to: 'up' as const, reason: null, at: iso(-30) },
    ];
    expect(statusSegments(changes, t(0), t(60), 'up')).toEqual([
      { status: 'up', start: t(0), end: t(20) },
      { status: 'down', start: t(20), end: t(40) },
      { status: 'up', start: t(40), end: t(60) },
    ]);
  });

  it('without changes the whole window is the current status; before registration it is unknown', () => {
    expect(statusSegments([], t(0), t(60), 'degraded')).toEqual([
      { status: 'degraded', start: t(0), end: t(60) },
    ]);
    expect(statusSegments([{ from: null, to: 'up', reason: null, at: iso(30) }], t(0), t(60), 'up')).toEqual([
      { status: 'unknown', start: t(0), end: t(30) },
      { status: 'up', start: t(30), end: t(60) },
    ]);
  });
});

describe('alignSeries', () => {
  it('merges the times of every series and fills gaps with null', () => {
    const a = [
      { time: iso(0), avg: 1 },
      { time: iso(2), avg: 3 },
    ];
    const b = [
      { time: iso(1), avg: 20 },
      { time: iso(2), avg: 30 },
    ];
    expect(alignSeries([a, b])).toEqual([
      [t(0) / 1000, t(1) / 1000, t(2) / 1000],
      [1, null, 3],
      [null, 20, 30],
    ]);
  });
});

describe('time ranges', () => {
  it('reads the range from the URL and ends the window at the next whole minute', () => {
    expect(parseRange('?range=7d')).toBe('7d');
    expect(parseRange('?range=2y')).toBe('6h');
    const { from, to } = rangeBounds('1h', t(0) + 10_000);
    expect(to).toBe(iso(1));
    expect(from).toBe(iso(-59));
  });
});

describe('parseInterfaces', () => {
  it('reads ifIndex (or index) and name, ignoring junk', () => {
    expect(
      parseInterfaces([
        { ifIndex: 2, name: 'eth1', inBps: 5 },
        { index: 1, name: 'lo' },
        'junk',
        { name: 'x' },
      ]),
    ).toEqual([
      { ifIndex: 1, name: 'lo', inBps: null, outBps: null },
      { ifIndex: 2, name: 'eth1', inBps: 5, outBps: null },
    ]);
    expect(parseInterfaces(null)).toEqual([]);
  });
});
