import { describe, expect, it } from 'vitest';
import type { Severity } from '../../graphql/schema-types';
import { belongsInView, countBySeverity, formatAlertView, parseAlertView, sortAlerts } from './alert-order';

const alert = (alertId: string, severity: Severity, raisedAt: string) => ({
  alertId,
  severity,
  raisedAt,
  state: 'open' as const,
});

describe('sortAlerts', () => {
  const alerts = [
    alert('a', 'minor', '2026-11-21T10:00:00Z'),
    alert('b', 'critical', '2026-11-21T11:00:00Z'),
    alert('c', 'critical', '2026-11-21T09:00:00Z'),
    alert('d', 'info', '2026-11-21T08:00:00Z'),
    alert('e', 'major', '2026-11-21T12:00:00Z'),
  ];

  it('puts the most severe first and, within a severity, the oldest first', () => {
    expect(sortAlerts(alerts).map((a) => a.alertId)).toEqual(['c', 'b', 'e', 'a', 'd']);
  });

  it('can order by newest within a severity, severity still first', () => {
    expect(sortAlerts(alerts, 'newest').map((a) => a.alertId)).toEqual(['b', 'c', 'e', 'a', 'd']);
  });

  it('keeps a stable order for equal severity and age, and does not touch its input', () => {
    const same = [alert('z', 'major', '2026-11-21T10:00:00Z'), alert('y', 'major', '2026-11-21T10:00:00Z')];
    expect(sortAlerts(same).map((a) => a.alertId)).toEqual(['y', 'z']);
    expect(same.map((a) => a.alertId)).toEqual(['z', 'y']);
  });

  it('compares instants, not strings (offsets differ)', () => {
    const mixed = [
      alert('late', 'major', '2026-11-21T10:30:00+01:00'),
      alert('early', 'major', '2026-11-21T09:45:00Z'),
    ];
    // 10:30+01:00 is 09:30Z: earlier than 09:45Z.
    expect(sortAlerts(mixed).map((a) => a.alertId)).toEqual(['late', 'early']);
  });
});

describe('alert views', () => {
  it('the active view holds open and acknowledged alerts; resolved ones leave it', () => {
    expect(belongsInView('active', 'open')).toBe(true);
    expect(belongsInView('active', 'acknowledged')).toBe(true);
    expect(belongsInView('active', 'resolved')).toBe(false);
    expect(belongsInView('resolved', 'resolved')).toBe(true);
    expect(belongsInView('open', 'acknowledged')).toBe(false);
  });

  it('counts by severity', () => {
    expect(
      countBySeverity([alert('a', 'major', 'x'), alert('b', 'major', 'x'), alert('c', 'info', 'x')]),
    ).toEqual({
      info: 1,
      warning: 0,
      minor: 0,
      major: 2,
      critical: 0,
    });
  });

  it('round-trips view and order through the URL, defaults omitted', () => {
    expect(formatAlertView({ view: 'active', age: 'oldest' })).toBe('');
    expect(parseAlertView(formatAlertView({ view: 'resolved', age: 'newest' }))).toEqual({
      view: 'resolved',
      age: 'newest',
    });
    expect(parseAlertView('?view=bogus&age=sideways')).toEqual({ view: 'active', age: 'oldest' });
  });
});
