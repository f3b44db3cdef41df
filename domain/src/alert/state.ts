import type { Actor } from '../shared/actor.js';
import type { Severity } from '../shared/severity.js';
import type { SuppressionReason } from './events.js';

export type AlertInstance = Readonly<{
  alertId: string;
  alertKey: string;
  deviceId: string;
  ruleId: string | null;
  condition: string;
  severity: Severity;
  summary: string;
  raisedAt: string;
  lastSeenAt: string;
  count: number;
  acknowledged: Readonly<{ by: Actor; at: string; note: string | null }> | null;
  /** 0 until the first escalation. */
  escalationLevel: number;
  suppressed: Readonly<{ reason: SuppressionReason; detail: string }> | null;
  /** Whether any notification went out: only then is a recovery worth sending. */
  notified: boolean;
  noteIds: readonly string[];
}>;

export type AlertResolution = Readonly<{ by: Actor; automatic: boolean; note: string | null; at: string }>;

type Owned = Readonly<{
  /** From the raise's metadata; null when folded from events without it (then nobody may command). */
  organizationId: string | null;
  instance: AlertInstance;
}>;

export type OpenAlert = Owned & Readonly<{ status: 'open' }>;
/** The last instance, kept for recovery notifications and for the next raise. */
export type ResolvedAlert = Owned & Readonly<{ status: 'resolved'; resolution: AlertResolution }>;

export type AlertState = Readonly<{ status: 'none' }> | OpenAlert | ResolvedAlert;

export const initialAlertState = (): AlertState => ({ status: 'none' });

export const openInstance = (state: AlertState): AlertInstance | null =>
  state.status === 'open' ? state.instance : null;
