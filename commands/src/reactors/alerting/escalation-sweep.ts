import { type EscalationPolicy, escalationDue } from '@netpulse/domain';
import type { ReactorContext } from '../reactor.js';
import { alertSweepTarget } from '../targets.js';
import type { OpenAlerts } from './open-alerts.js';

/**
 * Escalates open, unacknowledged, unsuppressed alerts that have waited past the policy's delays.
 * The command id derives from the instance and the level, so sweeps repeated by this or another
 * instance escalate each level once.
 */
export const sweepEscalations = async (
  context: ReactorContext,
  openAlerts: OpenAlerts,
  policy: EscalationPolicy,
): Promise<number> => {
  await openAlerts.refresh(context.store);
  const now = context.clock.now();
  let escalated = 0;
  for (const alert of [...openAlerts.open()]) {
    const { instance, organizationId } = alert;
    const level = escalationDue(instance, now, policy);
    if (level === null || organizationId === null) continue;
    const { outcome } = await context.send({
      target: alertSweepTarget(instance.alertKey),
      cause: { eventId: instance.alertId, correlationId: instance.alertId, organizationId },
      purpose: `escalate:${level}`,
      command: {
        type: 'EscalateAlert',
        data: { alertId: instance.alertId, level, policyId: policy.policyId },
      },
      now,
    });
    if (outcome === 'appended') escalated++;
  }
  return escalated;
};
