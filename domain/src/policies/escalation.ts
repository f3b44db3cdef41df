import { z } from 'zod';
import type { AlertInstance } from '../alert/state.js';
import { Id } from '../shared/primitives.js';

/** Escalate an alert left unacknowledged: level n once it has been open `delaysMinutes[n-1]`. */
export const EscalationPolicy = z.object({
  policyId: Id.default('default'),
  delaysMinutes: z
    .array(z.number().positive().max(10_080))
    .min(1)
    .max(10)
    .refine((delays) => delays.every((delay, i) => i === 0 || delay > delays[i - 1]!), {
      message: 'escalation delays must increase',
    })
    .default([15, 30]),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;
export const defaultEscalationPolicy: EscalationPolicy = EscalationPolicy.parse({});

/**
 * The level an open alert should have reached by `now`, when above its current level; null when
 * nothing is due. Acknowledged alerts are being handled and suppressed ones were never notified,
 * so neither escalates.
 */
export const escalationDue = (
  instance: AlertInstance,
  now: Date,
  policy: EscalationPolicy,
): number | null => {
  if (instance.acknowledged || instance.suppressed) return null;
  const openMinutes = (now.getTime() - Date.parse(instance.raisedAt)) / 60_000;
  const level = policy.delaysMinutes.filter((delay) => openMinutes >= delay).length;
  return level > instance.escalationLevel ? level : null;
};
