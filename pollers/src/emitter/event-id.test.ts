import { uuidV5 } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { observationEventId, POLLER_NAMESPACE, trapEventId } from './event-id.js';

describe('deterministic event ids', () => {
  it('are UUID v5 names in the poller namespace, unchanged from the ids already stored', () => {
    const parts = {
      pollerId: 'p1',
      deviceId: 'd1',
      probeKey: 'icmp',
      scheduledAt: '2026-11-21T00:00:00.000Z',
    };
    expect(observationEventId(parts)).toBe(
      uuidV5('observation|p1|d1|icmp|2026-11-21T00:00:00.000Z', POLLER_NAMESPACE),
    );
    // Pinned: ids minted by earlier releases must stay the same, or a retry after an upgrade doubles.
    expect(observationEventId(parts)).toBe('d80a6f90-425c-5bd9-b568-a8b0941cce3a');
    expect(
      trapEventId({
        pollerId: 'p1',
        sourceAddress: '127.0.0.1',
        requestId: '42',
        receivedAt: '2026-11-21T00:00:00.000Z',
      }),
    ).toBe('d13d1388-c931-5567-9563-3cbe1d262fda');
  });

  it('is the same for the same poller, device, probe and slot, and differs otherwise', () => {
    const parts = {
      pollerId: 'p1',
      deviceId: 'd1',
      probeKey: 'icmp',
      scheduledAt: '2026-11-21T00:00:00.000Z',
    };
    const id = observationEventId(parts);
    expect(observationEventId({ ...parts })).toBe(id);
    expect(observationEventId({ ...parts, probeKey: 'tcp:22' })).not.toBe(id);
    expect(observationEventId({ ...parts, pollerId: 'p2' })).not.toBe(id);
    expect(observationEventId({ ...parts, scheduledAt: '2026-11-21T00:00:30.000Z' })).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
