import { describe, expect, it } from 'vitest';
import { evolveNotifiable, type NotifiableAlert } from './notifiable-alert.js';
import { NotificationsConfig, type NotificationsConfigInput } from './notification-config.js';
import { routeAlert } from './routing.js';

const receivers: NotificationsConfigInput['receivers'] = ['a', 'b', 'c', 'd'].map((name) => ({
  name,
  channel: 'slack' as const,
  urlEnv: `SLACK_${name.toUpperCase()}`,
}));
const routesOf = (routes: NotificationsConfigInput['routes']) =>
  NotificationsConfig.parse({ receivers, routes }).routes;

const alert = (
  overrides: Partial<{ organizationId: string; severity: 'critical' | 'warning'; condition: string }> = {},
) =>
  evolveNotifiable(null, {
    type: 'AlertRaised',
    id: 'raise-1',
    streamId: 'alert-k',
    metadata: { organizationId: overrides.organizationId ?? 'acme', correlationId: 'c' },
    data: {
      alertId: 'a-1',
      alertKey: 'k',
      deviceId: 'core-1',
      ruleId: null,
      condition: overrides.condition ?? 'device-down',
      severity: overrides.severity ?? 'critical',
      summary: 'core-1 is down',
      details: {},
      raisedAt: '2025-06-01T12:00:00.000Z',
    },
  })!;

const escalated = (base: NotifiableAlert, level: number): NotifiableAlert =>
  evolveNotifiable(base, {
    type: 'AlertEscalated',
    id: `esc-${level}`,
    streamId: 'alert-k',
    metadata: { organizationId: 'acme', correlationId: 'c' },
    data: { alertId: 'a-1', level, policyId: null, escalatedAt: '2025-06-01T12:15:00.000Z' },
  })!;

const core = { name: 'core-1', tags: ['core', 'dc1'] };
const names = (routings: ReturnType<typeof routeAlert>) => routings.map((routing) => routing.receiver);

describe('routing', () => {
  it('matches organization, severity, tags (any of) and conditions (exact or prefix*), all at once', () => {
    const routes = routesOf([
      { match: { organizations: ['other'] }, receivers: ['a'] },
      { match: { organizations: ['acme'], severities: ['warning'] }, receivers: ['a'] },
      { match: { tags: ['edge', 'dc1'], conditions: ['metric:*'] }, receivers: ['b'] },
      {
        match: { tags: ['edge', 'dc1'], conditions: ['device-*'], severities: ['critical'] },
        receivers: ['c'],
      },
    ]);
    expect(names(routeAlert(alert(), core, routes))).toEqual(['c']);
    expect(names(routeAlert(alert({ condition: 'metric:icmp.lossPct' }), core, routes))).toEqual(['b']);
    expect(names(routeAlert(alert({ severity: 'warning' }), core, routes))).toEqual(['a']);
    expect(
      names(routeAlert(alert({ organizationId: 'initech', severity: 'warning' }), core, routes)),
    ).toEqual([]);
  });

  it('does not match a tag route when the device is unknown', () => {
    const routes = routesOf([{ match: { tags: ['core'] }, receivers: ['a'] }, { receivers: ['b'] }]);
    expect(names(routeAlert(alert(), null, routes))).toEqual(['b']);
  });

  it('stops at the first matching route unless it says continue, and keeps a receiver first route', () => {
    const routes = routesOf([
      { id: 'first', match: { severities: ['critical'] }, receivers: ['a'], continue: true },
      { id: 'second', receivers: ['a', 'b'] },
      { id: 'third', receivers: ['c'] },
    ]);
    const routings = routeAlert(alert(), core, routes);
    expect(routings.map((routing) => `${routing.receiver}@${routing.route.id}`)).toEqual([
      'a@first',
      'b@second',
    ]);
  });

  it('adds escalation receivers from the level they belong to, told since that level was reached', () => {
    const routes = routesOf([
      {
        receivers: ['a'],
        escalation: [
          { level: 2, receivers: ['c'] },
          { level: 1, receivers: ['b', 'a'] },
        ],
      },
    ]);
    expect(names(routeAlert(alert(), core, routes))).toEqual(['a']);
    const once = escalated(alert(), 1);
    const routings = routeAlert(once, core, routes);
    expect(routings.map((routing) => `${routing.receiver}:${routing.via}`)).toEqual([
      'a:route',
      'b:escalation',
    ]);
    expect(routings[1]!.since).toEqual({ at: Date.parse('2025-06-01T12:15:00.000Z'), eventId: 'esc-1' });
    expect(names(routeAlert(escalated(once, 2), core, routes))).toEqual(['a', 'b', 'c']);
  });
});
