import type {
  AlertAcknowledged,
  AlertEscalated,
  AlertRaised,
  AlertRepeated,
  AlertResolved,
  AlertSuppressed,
  RecordedEvent,
} from '@netpulse/domain';
import type { z } from 'zod';
import type { PgTime } from '../timestamps.js';

export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** A row of `alerts_vN` as the fold sees it. */
export type AlertRow = {
  alert_id: string;
  alert_key: string;
  organization_id: string;
  device_id: string;
  rule_id: string | null;
  condition: string;
  severity: string;
  summary: string;
  details: unknown;
  state: AlertState;
  count: number;
  escalation_level: number;
  suppressed: boolean;
  suppression_reason: string | null;
  suppression_detail: string | null;
  acknowledged_by_kind: string | null;
  acknowledged_by_id: string | null;
  acknowledged_at: PgTime | null;
  acknowledgement_note: string | null;
  resolved_at: PgTime | null;
  resolved_by_kind: string | null;
  resolved_by_id: string | null;
  resolved_automatically: boolean | null;
  resolution_note: string | null;
  notes: number;
  notifications_sent: number;
  notifications_failed: number;
  raised_at: PgTime;
  last_changed_at: PgTime;
};

type Data<S extends z.ZodType<{ data: unknown }>> = z.infer<S>['data'];

/** The time an alert event carries (each type names it differently). */
export const eventTime = (event: RecordedEvent): string => {
  const data = event.data as Record<string, unknown>;
  for (const key of [
    'raisedAt',
    'repeatedAt',
    'acknowledgedAt',
    'unacknowledgedAt',
    'escalatedAt',
    'suppressedAt',
    'unsuppressedAt',
    'resolvedAt',
    'addedAt',
    'sentAt',
    'failedAt',
  ]) {
    if (typeof data[key] === 'string') return data[key] as string;
  }
  return event.recordedAt.toISOString();
};

/** Folds one alert event into its instance row (null = not raised yet: ignored). */
export const foldAlert = (row: AlertRow | null, event: RecordedEvent): AlertRow | null => {
  if (event.type === 'AlertRaised') {
    const data = event.data as Data<typeof AlertRaised>;
    return {
      alert_id: data.alertId,
      alert_key: data.alertKey,
      organization_id: event.metadata.organizationId,
      device_id: data.deviceId,
      rule_id: data.ruleId,
      condition: data.condition,
      severity: data.severity,
      summary: data.summary,
      details: data.details,
      state: 'open',
      count: 1,
      escalation_level: 0,
      suppressed: false,
      suppression_reason: null,
      suppression_detail: null,
      acknowledged_by_kind: null,
      acknowledged_by_id: null,
      acknowledged_at: null,
      acknowledgement_note: null,
      resolved_at: null,
      resolved_by_kind: null,
      resolved_by_id: null,
      resolved_automatically: null,
      resolution_note: null,
      notes: 0,
      notifications_sent: 0,
      notifications_failed: 0,
      raised_at: data.raisedAt,
      last_changed_at: data.raisedAt,
    };
  }
  if (!row) return null;
  const next: AlertRow = { ...row, last_changed_at: eventTime(event) };
  switch (event.type) {
    case 'AlertRepeated': {
      const data = event.data as Data<typeof AlertRepeated>;
      next.count = data.count;
      next.severity = data.severity;
      return next;
    }
    case 'AlertAcknowledged': {
      const data = event.data as Data<typeof AlertAcknowledged>;
      if (next.state !== 'resolved') next.state = 'acknowledged';
      next.acknowledged_by_kind = data.by.kind;
      next.acknowledged_by_id = data.by.id;
      next.acknowledged_at = data.acknowledgedAt;
      next.acknowledgement_note = data.note;
      return next;
    }
    case 'AlertUnacknowledged': {
      if (next.state === 'acknowledged') next.state = 'open';
      next.acknowledged_by_kind = null;
      next.acknowledged_by_id = null;
      next.acknowledged_at = null;
      next.acknowledgement_note = null;
      return next;
    }
    case 'AlertEscalated': {
      next.escalation_level = (event.data as Data<typeof AlertEscalated>).level;
      return next;
    }
    case 'AlertSuppressed': {
      const data = event.data as Data<typeof AlertSuppressed>;
      next.suppressed = true;
      next.suppression_reason = data.reason;
      next.suppression_detail = data.detail;
      return next;
    }
    case 'AlertUnsuppressed':
      next.suppressed = false;
      next.suppression_reason = null;
      next.suppression_detail = null;
      return next;
    case 'AlertResolved': {
      const data = event.data as Data<typeof AlertResolved>;
      next.state = 'resolved';
      next.resolved_at = data.resolvedAt;
      next.resolved_by_kind = data.by.kind;
      next.resolved_by_id = data.by.id;
      next.resolved_automatically = data.automatic;
      next.resolution_note = data.note;
      return next;
    }
    case 'AlertNoteAdded':
      next.notes += 1;
      return next;
    case 'NotificationSent':
      next.notifications_sent += 1;
      next.last_changed_at = row.last_changed_at;
      return next;
    case 'NotificationFailed':
      next.notifications_failed += 1;
      next.last_changed_at = row.last_changed_at;
      return next;
    default:
      return row;
  }
};
