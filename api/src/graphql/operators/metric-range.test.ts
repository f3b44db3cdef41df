import { describe, expect, it } from 'vitest';
import { checkMetricRange, nameOf, tierOf } from './metric-range.js';

const from = new Date('2026-11-20T00:00:00Z');
const hours = (n: number) => new Date(from.getTime() + n * 3_600_000);
const codeOf = (run: () => void) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('metric ranges', () => {
  it('maps the schema’s tier names to the read model’s and back', () => {
    expect(tierOf('oneMinute')).toBe('1m');
    expect(tierOf('auto')).toBe('auto');
    expect(nameOf('1h')).toBe('oneHour');
    expect(nameOf('raw')).toBe('raw');
  });

  it('accepts sound ranges and refuses reversed, oversized or ill-addressed ones', () => {
    expect(
      codeOf(() => checkMetricRange({ metric: 'rttAvgMs', from, to: hours(6), resolution: 'auto' })),
    ).toBe('accepted');
    expect(
      codeOf(() => checkMetricRange({ metric: 'inBps', ifIndex: 2, from, to: hours(1), resolution: 'raw' })),
    ).toBe('accepted');
    expect(
      codeOf(() => checkMetricRange({ metric: 'rttAvgMs', from: hours(1), to: from, resolution: 'auto' })),
    ).toBe('VALIDATION_FAILED');
    expect(
      codeOf(() => checkMetricRange({ metric: 'rttAvgMs', from, to: hours(25), resolution: 'raw' })),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf(() => checkMetricRange({ metric: 'inBps', from, to: hours(1), resolution: 'auto' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      codeOf(() =>
        checkMetricRange({ metric: 'cpuPct', ifIndex: 1, from, to: hours(1), resolution: 'auto' }),
      ),
    ).toBe('VALIDATION_FAILED');
  });
});
