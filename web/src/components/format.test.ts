import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBps,
  formatDuration,
  formatMs,
  formatPct,
  fromLocalInput,
  toLocalInput,
} from './format';

describe('format', () => {
  it('durations show the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(303)).toBe('5 m 3 s');
    expect(formatDuration(7_800)).toBe('2 h 10 m');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
  });

  it('ages are relative to now', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(formatAge('2026-11-21T11:59:58Z', now)).toBe('just now');
    expect(formatAge('2026-11-21T11:57:00Z', now)).toBe('3 m ago');
    expect(formatAge(null, now)).toBe('—');
  });

  it('units', () => {
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(null)).toBe('—');
    expect(formatPct(12.345)).toBe('12.3 %');
    expect(formatBps(950)).toBe('950 bps');
    expect(formatBps(12_500)).toBe('12.5 kbps');
    expect(formatBps(1_234_000_000)).toBe('1.23 Gbps');
  });

  it('datetime-local round-trips to the minute', () => {
    const date = new Date(2026, 10, 21, 9, 5);
    expect(toLocalInput(date)).toBe('2026-11-21T09:05');
    expect(fromLocalInput('2026-11-21T09:05')?.getTime()).toBe(date.getTime());
    expect(fromLocalInput('')).toBeNull();
  });
});
