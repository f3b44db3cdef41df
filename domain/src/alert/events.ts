import { z } from 'zod';
import { Actor } from '../shared/actor.js';
import { Id, Timestamp } from '../shared/primitives.js';
import { Severity } from '../shared/severity.js';

/**
 * One alert stream per reduction key (`alert-<alertKey>`). Each raise after a resolution opens a new
 * instance with its own `alertId`, so the stream is the key's complete history.
 */
export const suppressionReasons = ['maintenance', 'parent-down', 'manual'] as const;
export const SuppressionReason = z.enum(suppressionReasons);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

export const notificationChannels = ['email', 'webhook', 'slack'] as const;
export const NotificationChannel = z.enum(notificationChannels);
export const NotificationKind = z.enum(['raised', 'repeated', 'escalated', 'resolved']);

const Details = z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()]));
const Note = z.string().trim().min(1).max(2000);

export const AlertRaised = z.object({
  type: z.literal('AlertRaised'),
  data: z.object({
    alertId: Id,
    alertKey: Id,
    deviceId: Id,
    ruleId: Id.nullable(),
    /** What went wrong, e.g. `device-down` or `metric:icmp.lossPct`. */
    condition: z.string().min(1).max(200),
    severity: Severity,
    summary: z.string().max(500),
    details: Details,
    raisedAt: Timestamp,
  }),
});
export const AlertRepeated = z.object({
  type: z.literal('AlertRepeated'),
  data: z.object({ alertId: Id, count: z.number().int().min(2), severity: Severity, repeatedAt: Timestamp }),
});
export const AlertAcknowledged = z.object({
  type: z.literal('AlertAcknowledged'),
  data: z.object({ alertId: Id, by: Actor, note: Note.nullable(), acknowledgedAt: Timestamp }),
});
export const AlertUnacknowledged = z.object({
  type: z.literal('AlertUnacknowledged'),
  data: z.object({ alertId: Id, by: Actor, note: Note.nullable(), unacknowledgedAt: Timestamp }),
});
export const AlertEscalated = z.object({
  type: z.literal('AlertEscalated'),
  data: z.object({
    alertId: Id,
    level: z.number().int().min(1),
    policyId: Id.nullable(),
    escalatedAt: Timestamp,
  }),
});
export const AlertSuppressed = z.object({
  type: z.literal('AlertSuppressed'),
  data: z.object({
    alertId: Id,
    reason: SuppressionReason,
    detail: z.string().max(500),
    suppressedAt: Timestamp,
  }),
});
export const AlertUnsuppressed = z.object({
  type: z.literal('AlertUnsuppressed'),
  data: z.object({ alertId: Id, unsuppressedAt: Timestamp }),
});
export const AlertResolved = z.object({
  type: z.literal('AlertResolved'),
  data: z.object({
    alertId: Id,
    /** The person or system that resolved it; `automatic` when the condition cleared by itself. */
    by: Actor,
    automatic: z.boolean(),
    note: Note.nullable(),
    resolvedAt: Timestamp,
  }),
});
export const AlertNoteAdded = z.object({
  type: z.literal('AlertNoteAdded'),
  data: z.object({ alertId: Id, noteId: Id, by: Actor, text: Note, addedAt: Timestamp }),
});
const NotificationData = z.object({
  alertId: Id,
  notificationId: Id,
  channel: NotificationChannel,
  /** Where it went, without secrets: an e-mail address or a named webhook. */
  target: z.string().max(320),
  kind: NotificationKind,
  attempt: z.number().int().min(1),
});
export const NotificationSent = z.object({
  type: z.literal('NotificationSent'),
  data: NotificationData.extend({ sentAt: Timestamp }),
});
export const NotificationFailed = z.object({
  type: z.literal('NotificationFailed'),
  data: NotificationData.extend({ error: z.string().max(1000), willRetry: z.boolean(), failedAt: Timestamp }),
});

export const AlertEvent = z.discriminatedUnion('type', [
  AlertRaised,
  AlertRepeated,
  AlertAcknowledged,
  AlertUnacknowledged,
  AlertEscalated,
  AlertSuppressed,
  AlertUnsuppressed,
  AlertResolved,
  AlertNoteAdded,
  NotificationSent,
  NotificationFailed,
]);
export type AlertEvent = z.infer<typeof AlertEvent>;
