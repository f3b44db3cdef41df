import { describe, expect, it } from 'vitest';
import { settingFlags, telemetrySettings } from './telemetry-settings.js';

const gib = 1024 ** 3;

describe('telemetrySettings', () => {
  it('gives the buffers a quarter of the memory, at least PostgreSQL default and at most 2 GB', () => {
    expect(telemetrySettings(2 * gib).shared_buffers).toBe('512MB');
    expect(telemetrySettings(0.25 * gib).shared_buffers).toBe('128MB');
    expect(telemetrySettings(24 * gib).shared_buffers).toBe('2048MB');
  });

  it('spaces checkpoints by time, not by WAL volume', () => {
    expect(telemetrySettings(8 * gib)).toMatchObject({ max_wal_size: '8GB', checkpoint_timeout: '15min' });
  });

  it('turns settings into postgres -c flags', () => {
    expect(settingFlags({ a: '1', b: 'x y' })).toEqual(['-c', 'a=1', '-c', 'b=x y']);
  });
});
