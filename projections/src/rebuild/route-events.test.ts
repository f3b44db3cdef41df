import type { EventFilter, RecordedEvent } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../runner/projection.js';
import { recorded } from '../testing/recorded.js';
import { routeEvents } from './route-events.js';

const event = (streamId: string, type: string): RecordedEvent => recorded(streamId, type, {});

const filters: EventFilter[] = [
  { categories: ['device', 'observations'] },
  { categories: ['observations'], eventTypes: ['DeviceObserved'] },
  { categories: ['device'], eventTypes: ['DeviceStatusChanged'] },
  { eventTypes: ['DeviceObserved', 'AlertRaised'] },
  {},
  { categories: ['organization'] },
];

describe('routeEvents', () => {
  it('gives each filter exactly the events matchesFilter passes, in log order, whatever repeats', () => {
    const events = [
      event('observations-d1', 'DeviceObserved'),
      event('device-d1', 'DeviceStatusChanged'),
      event('observations-d2', 'DeviceObserved'),
      event('device-d2', 'DeviceRegistered'),
      event('alert-a1', 'AlertRaised'),
      event('device-d1', 'DeviceStatusChanged'),
      event('observations', 'DeviceObserved'),
      event('observations-d1', 'DeviceObservationSkipped'),
      event('alert-a2', 'DeviceObserved'),
    ];
    const shares = routeEvents(filters, events);
    expect(shares.map((share) => share.map((e) => e.id))).toEqual(
      filters.map((filter) => events.filter((e) => matchesFilter(filter, e)).map((e) => e.id)),
    );
    // The same pair routes the same way after the first time it was seen.
    expect(shares[2]).toEqual([events[1], events[5]]);
    expect(shares[5]).toEqual([]);
  });
});
