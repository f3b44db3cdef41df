import { z } from 'zod';
import type { CommandOf } from '../shared/command-schema.js';
import { Id } from '../shared/primitives.js';
import {
  AlertAcknowledged,
  AlertEscalated,
  AlertNoteAdded,
  AlertRaised,
  AlertSuppressed,
  NotificationFailed,
  NotificationSent,
} from './events.js';

const OptionalNote = AlertAcknowledged.shape.data.shape.note;
const Suppression = AlertSuppressed.shape.data.pick({ reason: true, detail: true });

/**
 * Raises an alert for a reduction key. `alertId` names the instance this raise would open; on an
 * open instance it counts as a repeat of that instance instead. `suppression` is set by the reactor
 * when a maintenance window or a down parent covers the device.
 */
export const RaiseAlert = z.object({
  type: z.literal('RaiseAlert'),
  data: AlertRaised.shape.data.omit({ raisedAt: true }).extend({ suppression: Suppression.nullish() }),
});

export const AcknowledgeAlert = z.object({
  type: z.literal('AcknowledgeAlert'),
  data: z.object({ alertId: Id, note: OptionalNote }),
});

export const UnacknowledgeAlert = z.object({
  type: z.literal('UnacknowledgeAlert'),
  data: z.object({ alertId: Id, note: OptionalNote }),
});

export const EscalateAlert = z.object({
  type: z.literal('EscalateAlert'),
  data: AlertEscalated.shape.data.omit({ escalatedAt: true }),
});

export const SuppressAlert = z.object({
  type: z.literal('SuppressAlert'),
  data: Suppression.extend({ alertId: Id }),
});

export const UnsuppressAlert = z.object({
  type: z.literal('UnsuppressAlert'),
  data: z.object({ alertId: Id }),
});

export const ResolveAlert = z.object({
  type: z.literal('ResolveAlert'),
  data: z.object({ alertId: Id, automatic: z.boolean(), note: OptionalNote }),
});

export const AddAlertNote = z.object({
  type: z.literal('AddAlertNote'),
  data: AlertNoteAdded.shape.data.pick({ alertId: true, noteId: true, text: true }),
});

const FailedOutcome = NotificationFailed.shape.data.pick({ error: true, willRetry: true });

export const RecordNotification = z.object({
  type: z.literal('RecordNotification'),
  data: NotificationSent.shape.data.omit({ sentAt: true }).extend({
    outcome: z.discriminatedUnion('sent', [
      z.object({ sent: z.literal(true) }),
      FailedOutcome.extend({ sent: z.literal(false) }),
    ]),
  }),
});

/** Parses a command's `{ type, data }`; the handler adds the metadata. */
export const AlertCommand = z.discriminatedUnion('type', [
  RaiseAlert,
  AcknowledgeAlert,
  UnacknowledgeAlert,
  EscalateAlert,
  SuppressAlert,
  UnsuppressAlert,
  ResolveAlert,
  AddAlertNote,
  RecordNotification,
]);

export type RaiseAlert = CommandOf<typeof RaiseAlert>;
export type AcknowledgeAlert = CommandOf<typeof AcknowledgeAlert>;
export type UnacknowledgeAlert = CommandOf<typeof UnacknowledgeAlert>;
export type EscalateAlert = CommandOf<typeof EscalateAlert>;
export type SuppressAlert = CommandOf<typeof SuppressAlert>;
export type UnsuppressAlert = CommandOf<typeof UnsuppressAlert>;
export type ResolveAlert = CommandOf<typeof ResolveAlert>;
export type AddAlertNote = CommandOf<typeof AddAlertNote>;
export type RecordNotification = CommandOf<typeof RecordNotification>;
export type AlertCommand =
  | RaiseAlert
  | AcknowledgeAlert
  | UnacknowledgeAlert
  | EscalateAlert
  | SuppressAlert
  | UnsuppressAlert
  | ResolveAlert
  | AddAlertNote
  | RecordNotification;
