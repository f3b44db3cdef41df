import type { RecordedEvent } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { parseEvents } from './parse-event.js';

const recorded = (type: string, data: unknown) =>
  ({ id: `${type}-id`, type, data }) as unknown as RecordedEvent;

describe('parseEvents', () => {
  it('keeps valid events of the asked types, sets malformed ones apart and ignores other types', () => {
    const good = recorded('DeviceStatusChanged', {
      deviceId: 'dev-1',
      from: 'up',
      to: 'down',
      reason: 'x',
      changedAt: '2025-06-01T12:00:00.000Z',
    });
    const bad = recorded('DeviceStatusChanged', { deviceId: 'dev-1', to: 'sideways' });
    const other = recorded('DeviceRegistered', {});
    const { parsed, malformed } = parseEvents([good, bad, other], ['DeviceStatusChanged']);
    expect(parsed.map((item) => item.recorded)).toEqual([good]);
    expect(malformed).toEqual([bad]);
  });
});
