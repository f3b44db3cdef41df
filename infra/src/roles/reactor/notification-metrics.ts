import type { NotificationMetrics } from '@netpulse/commands';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Notification metrics in prom-client, registered once per registry. */
export const createNotificationMetrics = (registry: Registry): NotificationMetrics => {
  const deliveries =
    (registry.getSingleMetric('netpulse_notifications_deliveries_total') as
      | Counter<'channel' | 'outcome'>
      | undefined) ??
    new Counter({
      name: 'netpulse_notifications_deliveries_total',
      help: 'Notification delivery attempts by channel and outcome (sent, retrying, failed)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
  const pending =
    (registry.getSingleMetric('netpulse_notifications_pending_groups') as Gauge | undefined) ??
    new Gauge({
      name: 'netpulse_notifications_pending_groups',
      help: 'Alert groups holding a notification not yet delivered',
      registers: [registry],
    });
  return {
    delivery: (channel, outcome) => deliveries.inc({ channel, outcome }),
    pendingGroups: (count) => pending.set(count),
  };
};
