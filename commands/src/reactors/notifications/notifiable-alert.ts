import type { AlertEvent, NotificationKind, Severity, SuppressionReason } from '@netpulse/domain';
import type { z } from 'zod';
import { targetKeyOf } from './notification-config.js';

export type Kind = z.infer<typeof NotificationKind>;

/** A point in an alert's history: when, and the event that says so (the cause of what follows). */
export type Moment = Readonly<{ at: number; eventId: string }>;

/** What one destination (`<channel>:<target>`) was told about an alert instance. */
export type TargetLog = Readonly<{
  /** The last successful delivery; null while every attempt failed. */
  lastSent: (Moment & Readonly<{ kind: Kind }>) | null;
  /** The last attempt of any outcome: a group's next notification is spaced from it. */
  lastAttemptAt: number;
  /** Notifications whose every attempt failed since the last delivery: spaces further retries out. */
  failedNotifications: number;
}>;

/**
 * An alert instance as the notifications reactor sees it: its current facts and, per destination,
 * what was delivered. Derived from the alert's stream only, so the reactor's pending work is a pure
 * function of the event history (and survives restarts without a store of its own).
 */
export type NotifiableAlert = Readonly<{
  streamId: string;
  alertId: string;
  alertKey: string;
  organizationId: string;
  correlationId: string;
  deviceId: string;
  ruleId: string | null;
  condition: string;
  severity: Severity;
  summary: string;
  details: Readonly<Record<string, string | number | boolean>>;
  raised: Moment;
  /** Since when receivers may be told: the raise, or the end of a suppression it was born with. */
  notifiableSince: Moment;
  suppressed: SuppressionReason | null;
  acknowledged: boolean;
  /** Levels reached, in order. */
  escalations: readonly (Moment & Readonly<{ level: number }>)[];
  resolved: (Moment & Readonly<{ automatic: boolean }>) | null;
  targets: Readonly<Record<string, TargetLog>>;
  /**
   * The latest notification events applied: records are applied locally first and read back moments
   * later, and must count once.
   */
  recordIds: readonly string[];
}>;

/** An alert event with the parts of its envelope the fold needs. */
export type AlertEventRecord = AlertEvent &
  Readonly<{
    id: string;
    streamId: string;
    metadata: Readonly<{ organizationId: string; correlationId: string }>;
  }>;

const RECENT_RECORDS = 64;

const firingKinds: ReadonlySet<Kind> = new Set(['raised', 'repeated', 'escalated']);

/** Whether the destination was told the alert fires and not yet that it recovered. */
export const awaitsRecovery = (log: TargetLog | undefined): boolean =>
  log?.lastSent != null && firingKinds.has(log.lastSent.kind);

const record = (alert: NotifiableAlert, event: AlertEventRecord): NotifiableAlert => {
  if (event.type !== 'NotificationSent' && event.type !== 'NotificationFailed') return alert;
  if (alert.recordIds.includes(event.id)) return alert;
  const key = targetKeyOf(event.data.channel, event.data.target);
  const previous = alert.targets[key];
  const at = Date.parse(event.type === 'NotificationSent' ? event.data.sentAt : event.data.failedAt);
  const newest = !previous?.lastSent || previous.lastSent.at <= at;
  const sent =
    event.type === 'NotificationSent' && newest
      ? { at, eventId: event.id, kind: event.data.kind }
      : (previous?.lastSent ?? null);
  let failedNotifications = previous?.failedNotifications ?? 0;
  if (newest && event.type === 'NotificationSent') failedNotifications = 0;
  // Only a notification's last attempt counts: the ones before it were retried at once.
  if (newest && event.type === 'NotificationFailed' && !event.data.willRetry) failedNotifications++;
  return {
    ...alert,
    targets: {
      ...alert.targets,
      [key]: {
        lastSent: sent,
        lastAttemptAt: Math.max(at, previous?.lastAttemptAt ?? at),
        failedNotifications,
      },
    },
    recordIds: [...alert.recordIds.slice(-(RECENT_RECORDS - 1)), event.id],
  };
};

/**
 * Folds one alert stream's events into the current instance. Events naming another instance (an
 * older one) change nothing; a raise starts afresh, so the previous instance's records are dropped.
 */
export const evolveNotifiable = (
  alert: NotifiableAlert | null,
  event: AlertEventRecord,
): NotifiableAlert | null => {
  if (event.type === 'AlertRaised') {
    const { data } = event;
    const raised = { at: Date.parse(data.raisedAt), eventId: event.id };
    return {
      streamId: event.streamId,
      alertId: data.alertId,
      alertKey: data.alertKey,
      organizationId: event.metadata.organizationId,
      correlationId: event.metadata.correlationId,
      deviceId: data.deviceId,
      ruleId: data.ruleId,
      condition: data.condition,
      severity: data.severity,
      summary: data.summary,
      details: data.details,
      raised,
      notifiableSince: raised,
      suppressed: null,
      acknowledged: false,
      escalations: [],
      resolved: null,
      targets: {},
      recordIds: [],
    };
  }
  if (!alert || alert.alertId !== event.data.alertId) return alert;
  switch (event.type) {
    case 'AlertRepeated':
      return alert.resolved ? alert : { ...alert, severity: event.data.severity };
    case 'AlertAcknowledged':
      return { ...alert, acknowledged: true };
    case 'AlertUnacknowledged':
      return { ...alert, acknowledged: false };
    case 'AlertEscalated': {
      const { level, escalatedAt } = event.data;
      return {
        ...alert,
        escalations: [...alert.escalations, { level, at: Date.parse(escalatedAt), eventId: event.id }],
      };
    }
    case 'AlertSuppressed':
      return { ...alert, suppressed: event.data.reason };
    case 'AlertUnsuppressed':
      // Receivers that were never told start their wait now, not at the (long past) raise.
      return {
        ...alert,
        suppressed: null,
        notifiableSince: { at: Date.parse(event.data.unsuppressedAt), eventId: event.id },
      };
    case 'AlertResolved':
      return alert.resolved
        ? alert
        : {
            ...alert,
            resolved: {
              at: Date.parse(event.data.resolvedAt),
              eventId: event.id,
              automatic: event.data.automatic,
            },
          };
    case 'AlertNoteAdded':
      return alert;
    case 'NotificationSent':
    case 'NotificationFailed':
      return record(alert, event);
  }
};

/** Open alerts, and resolved ones whose recovery some destination still awaits; the rest is done. */
export const stillNotifiable = (alert: NotifiableAlert | null): alert is NotifiableAlert =>
  alert !== null && (alert.resolved === null || Object.values(alert.targets).some(awaitsRecovery));

/** When the alert first reached `level` or above. */
export const reachedLevelAt = (alert: NotifiableAlert, level: number): Moment | null =>
  alert.escalations.find((step) => step.level >= level) ?? null;
