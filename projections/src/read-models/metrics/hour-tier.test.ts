import { describe, expect, it } from 'vitest';
import { nextOpenFrom } from './hour-tier.js';

const at = (time: string) => Date.parse(`2026-11-21T${time}Z`);

describe('where the open range of the 1-hour tiers starts after a batch', () => {
  it('starts at the newest step that began at least two minutes before the newest point', () => {
    expect(nextOpenFrom(at('10:07:00'), at('10:00:00'))).toBe(at('10:05:00'));
    expect(nextOpenFrom(at('10:06:59.999'), at('10:00:00'))).toBeNull();
    expect(nextOpenFrom(at('10:31:00'), at('10:00:00'))).toBe(at('10:25:00'));
  });

  it('opens on the first batch, and never moves back for an older newest point', () => {
    expect(nextOpenFrom(at('10:00:40'), Number.NEGATIVE_INFINITY)).toBe(at('09:55:00'));
    expect(nextOpenFrom(at('09:40:00'), at('10:00:00'))).toBeNull();
  });
});
