import { describe, expect, it } from 'vitest';
import {
  alertInstanceAt,
  formatAuditView,
  noteOf,
  parseAuditView,
  splitStream,
  stepStop,
  travelStops,
} from './audit-view';

describe('audit view ↔ URL', () => {
  it('opens the entity tab when a stream is named, the log otherwise', () => {
    expect(parseAuditView('')).toEqual({ tab: 'log', stream: '', at: null });
    expect(parseAuditView('?stream=device-abc')).toEqual({ tab: 'entity', stream: 'device-abc', at: null });
    expect(parseAuditView('?tab=events')).toEqual({ tab: 'events', stream: '', at: null });
  });

  it('round-trips a moment and drops an invalid one', () => {
    const view = { tab: 'entity' as const, stream: 'alert-x', at: '2026-11-21T10:00:00.000Z' };
    expect(parseAuditView(formatAuditView(view))).toEqual(view);
    expect(parseAuditView('?stream=a-b&at=yesterday').at).toBeNull();
  });
});

describe('time travel stops', () => {
  const stops = travelStops(['2026-11-21T10:00:00Z', '2026-11-21T09:00:00Z', '2026-11-21T10:00:00Z', 'bad']);
  it('are the distinct event times in order', () => {
    expect(stops).toEqual([Date.parse('2026-11-21T09:00:00Z'), Date.parse('2026-11-21T10:00:00Z')]);
  });
  it('step to the previous or next event', () => {
    const between = Date.parse('2026-11-21T09:30:00Z');
    expect(stepStop(stops, between, -1)).toBe(stops[0]);
    expect(stepStop(stops, between, 1)).toBe(stops[1]);
    expect(stepStop(stops, stops[0] as number, -1)).toBeNull();
    expect(stepStop(stops, stops[1] as number, 1)).toBeNull();
  });
});

describe('alertInstanceAt', () => {
  const raised = (alertId: string, at: string) => ({
    type: 'AlertRaised',
    recordedAt: at,
    data: { alertId },
  });
  const events = [
    raised('first', '2026-11-21T10:00:00Z'),
    { type: 'AlertResolved', recordedAt: '2026-11-21T10:10:00Z', data: { alertId: 'first' } },
    raised('second', '2026-11-21T11:00:00Z'),
  ];
  it('is the instance last raised by the moment, else the first one', () => {
    expect(alertInstanceAt(events, Date.parse('2026-11-21T09:00:00Z'))).toBe('first');
    expect(alertInstanceAt(events, Date.parse('2026-11-21T10:30:00Z'))).toBe('first');
    expect(alertInstanceAt(events, Date.parse('2026-11-21T11:00:00Z'))).toBe('second');
    expect(alertInstanceAt([], 0)).toBeNull();
  });
});

describe('helpers', () => {
  it('splits stream ids at the first dash', () => {
    expect(splitStream('device-core-rtr-1')).toEqual({ category: 'device', id: 'core-rtr-1' });
    expect(splitStream('alertrule-r1')).toEqual({ category: 'alertrule', id: 'r1' });
  });
  it('finds the human note in event data', () => {
    expect(noteOf({ note: 'on it' })).toBe('on it');
    expect(noteOf({ reason: 'tcp REFUSED' })).toBe('tcp REFUSED');
    expect(noteOf({ note: '' })).toBeNull();
    expect(noteOf(null)).toBeNull();
  });
});
