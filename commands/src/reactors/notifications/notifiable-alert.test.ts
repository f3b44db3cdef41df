import { describe, expect, it } from 'vitest';
import {
  type AlertEventRecord,
  evolveNotifiable,
  type NotifiableAlert,
  stillNotifiable,
} from './notifiable-alert.js';

const envelope = (id: string) => ({
  id,
  streamId: 'alert-k',
  metadata: { organizationId: 'acme', correlationId: 'c-1' },
});
const raised = (alertId: string, id = `raise-${alertId}`) =>
  ({
    ...envelope(id),
    type: 'AlertRaised',
    data: {
      alertId,
      alertKey: 'k',
      deviceId: 'core-1',
      ruleId: null,
      condition: 'device-down',
      severity: 'critical',
      summary: 'core-1 is down',
      details: {},
      raisedAt: '2025-06-01T12:00:00.000Z',
    },
  }) as const satisfies AlertEventRecord;
const notification = {
  alertId: 'a-1',
  notificationId: 'n-1',
  channel: 'email',
  target: 'noc@x.test',
  attempt: 1,
} as const;
const sent = (id: string, at: string, kind: 'raised' | 'resolved' = 'raised'): AlertEventRecord => ({
  ...envelope(id),
  type: 'NotificationSent',
  data: { ...notification, kind, sentAt: at },
});
const failed = (id: string, at: string, willRetry = false): AlertEventRecord => ({
  ...envelope(id),
  type: 'NotificationFailed',
  data: { ...notification, kind: 'raised', error: 'HTTP 503', willRetry, failedAt: at },
});

const fold = (events: readonly AlertEventRecord[]): NotifiableAlert | null =>
  events.reduce<NotifiableAlert | null>((state, event) => evolveNotifiable(state, event), null);

describe('an alert as the notifications reactor folds it', () => {
  it('counts a record once, however often it is applied (locally, then read back)', () => {
    const once = fold([
      raised('a-1'),
      failed('f-1', '2025-06-01T12:00:30.000Z'),
      failed('f-1', '2025-06-01T12:00:30.000Z'),
    ]);
    expect(once!.targets['email:noc@x.test']).toEqual({
      lastSent: null,
      lastAttemptAt: Date.parse('2025-06-01T12:00:30.000Z'),
      failedNotifications: 1,
    });
  });

  it('counts only final failures, and a delivery clears them; an older record never replaces a newer one', () => {
    const alert = fold([
      raised('a-1'),
      failed('f-1', '2025-06-01T12:00:30.000Z', true),
      failed('f-2', '2025-06-01T12:00:31.000Z', false),
      sent('s-1', '2025-06-01T12:05:31.000Z'),
      sent('s-0', '2025-06-01T12:00:29.000Z', 'resolved'),
    ]);
    expect(alert!.targets['email:noc@x.test']).toEqual({
      lastSent: { at: Date.parse('2025-06-01T12:05:31.000Z'), eventId: 's-1', kind: 'raised' },
      lastAttemptAt: Date.parse('2025-06-01T12:05:31.000Z'),
      failedNotifications: 0,
    });
  });

  it('follows the current instance: events of another one change nothing, a new raise starts afresh', () => {
    const first = fold([raised('a-1'), sent('s-1', '2025-06-01T12:00:30.000Z')]);
    expect(
      evolveNotifiable(first, {
        ...envelope('s-x'),
        type: 'NotificationSent',
        data: { ...notification, alertId: 'other', kind: 'raised', sentAt: '2025-06-01T12:01:00.000Z' },
      }),
    ).toBe(first);
    const second = evolveNotifiable(first, raised('a-2'));
    expect(second).toMatchObject({
      alertId: 'a-2',
      targets: {},
      correlationId: 'c-1',
      organizationId: 'acme',
    });
  });

  it('is kept while open or while a recovery is owed, and dropped once told or never told', () => {
    const open = fold([raised('a-1')]);
    const resolve = {
      ...envelope('r-1'),
      type: 'AlertResolved',
      data: {
        alertId: 'a-1',
        by: { kind: 'system', id: 't' },
        automatic: true,
        note: null,
        resolvedAt: '2025-06-01T12:10:00.000Z',
      },
    } as const satisfies AlertEventRecord;
    expect(stillNotifiable(open)).toBe(true);
    expect(stillNotifiable(evolveNotifiable(open, resolve))).toBe(false);
    const told = fold([raised('a-1'), sent('s-1', '2025-06-01T12:00:30.000Z'), resolve]);
    expect(stillNotifiable(told)).toBe(true);
    expect(stillNotifiable(evolveNotifiable(told, sent('s-2', '2025-06-01T12:15:00.000Z', 'resolved')))).toBe(
      false,
    );
  });
});
