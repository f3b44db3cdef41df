import type { Severity } from '@netpulse/domain';
import { createPlanner, type Plan, type PlannedFlush } from '../grouping.js';
import {
  type AlertEventRecord,
  evolveNotifiable,
  type NotifiableAlert,
  stillNotifiable,
} from '../notifiable-alert.js';
import { NotificationsConfig, type NotificationsConfigInput, targetOf } from '../notification-config.js';
import type { DeviceInfo } from '../routing.js';

export const T0 = Date.parse('2025-06-01T12:00:00.000Z');
export const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

type Raise = Readonly<{
  at: number;
  deviceId?: string;
  condition?: string;
  severity?: Severity;
  organizationId?: string;
  suppressed?: 'maintenance' | 'parent-down';
}>;

/**
 * Given alert events, when time passes, then these notifications: a pure harness around the
 * planner. Deliveries are fed back as the records the reactor would append.
 */
export const scenario = (
  input: NotificationsConfigInput,
  devices: Readonly<Record<string, DeviceInfo>> = {},
) => {
  const config = NotificationsConfig.parse(input);
  const plan = createPlanner(config);
  const alerts = new Map<string, NotifiableAlert>();
  let sequence = 0;

  const apply = (
    stream: string,
    event: Omit<AlertEventRecord, 'id' | 'streamId' | 'metadata'>,
    org = 'org-1',
  ) => {
    const record = {
      ...event,
      id: `event-${++sequence}`,
      streamId: stream,
      metadata: { organizationId: org, correlationId: `corr-${stream}` },
    } as AlertEventRecord;
    const next = evolveNotifiable(alerts.get(stream) ?? null, record);
    if (stillNotifiable(next)) alerts.set(stream, next);
    else alerts.delete(stream);
  };
  const alertIdOf = (key: string) => {
    const alert = alerts.get(`alert-${key}`);
    if (!alert) throw new Error(`alert ${key} is not held`);
    return alert.alertId;
  };

  const given = {
    config,
    raise: (key: string, raise: Raise) => {
      const stream = `alert-${key}`;
      const alertId = `${key}-${raise.at}`;
      apply(
        stream,
        {
          type: 'AlertRaised',
          data: {
            alertId,
            alertKey: key,
            deviceId: raise.deviceId ?? `dev-${key}`,
            ruleId: null,
            condition: raise.condition ?? 'device-down',
            severity: raise.severity ?? 'critical',
            summary: `${raise.deviceId ?? `dev-${key}`} is down`,
            details: {},
            raisedAt: iso(raise.at),
          },
        },
        raise.organizationId,
      );
      if (raise.suppressed) {
        apply(stream, {
          type: 'AlertSuppressed',
          data: { alertId, reason: raise.suppressed, detail: 'test', suppressedAt: iso(raise.at) },
        });
      }
      return given;
    },
    resolve: (key: string, at: number) => {
      const alertId = alertIdOf(key);
      apply(`alert-${key}`, {
        type: 'AlertResolved',
        data: {
          alertId,
          by: { kind: 'system', id: 'test' },
          automatic: true,
          note: null,
          resolvedAt: iso(at),
        },
      });
      return given;
    },
    escalate: (key: string, level: number, at: number) => {
      apply(`alert-${key}`, {
        type: 'AlertEscalated',
        data: { alertId: alertIdOf(key), level, policyId: null, escalatedAt: iso(at) },
      });
      return given;
    },
    acknowledge: (key: string, at: number) => {
      apply(`alert-${key}`, {
        type: 'AlertAcknowledged',
        data: {
          alertId: alertIdOf(key),
          by: { kind: 'user', id: 'op' },
          note: null,
          acknowledgedAt: iso(at),
        },
      });
      return given;
    },
    suppress: (key: string, at: number) => {
      apply(`alert-${key}`, {
        type: 'AlertSuppressed',
        data: { alertId: alertIdOf(key), reason: 'manual', detail: 'test', suppressedAt: iso(at) },
      });
      return given;
    },
    unsuppress: (key: string, at: number) => {
      apply(`alert-${key}`, {
        type: 'AlertUnsuppressed',
        data: { alertId: alertIdOf(key), unsuppressedAt: iso(at) },
      });
      return given;
    },
    repeat: (key: string, severity: Severity, at: number) => {
      apply(`alert-${key}`, {
        type: 'AlertRepeated',
        data: { alertId: alertIdOf(key), count: 2, severity, repeatedAt: iso(at) },
      });
      return given;
    },
    /** Records the flush's delivery (or failure) at `at`, as the reactor would. */
    deliver: (flush: PlannedFlush, at: number, outcome: 'sent' | 'failed' = 'sent') => {
      for (const item of flush.items) {
        const notification = {
          alertId: item.alert.alertId,
          notificationId: flush.notificationId,
          channel: flush.receiver.channel,
          target: targetOf(flush.receiver),
          kind: item.kind,
          attempt: 1,
        };
        apply(
          item.alert.streamId,
          outcome === 'sent'
            ? { type: 'NotificationSent', data: { ...notification, sentAt: iso(at) } }
            : {
                type: 'NotificationFailed',
                data: { ...notification, error: 'HTTP 503', willRetry: false, failedAt: iso(at) },
              },
          item.alert.organizationId,
        );
      }
      return given;
    },
    /** The plan at `seconds` after T0. */
    at: (seconds: number): Plan =>
      plan(alerts.values(), (alert) => devices[alert.deviceId] ?? null, T0 + seconds * 1000),
    held: () => [...alerts.keys()],
  };
  return given;
};

/** A flush as `receiver: kind key, kind key` for compact expectations. */
export const describeFlush = (flush: PlannedFlush): string =>
  `${flush.receiver.name}: ${flush.items.map((item) => `${item.kind} ${item.alert.alertKey}`).join(', ')}`;

export const describePlan = (plan: Plan): string[] => plan.due.map(describeFlush);
