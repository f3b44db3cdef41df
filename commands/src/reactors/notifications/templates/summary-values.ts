import type { Notification } from '../notification.js';
import type { PlaceholderValues } from './placeholders.js';

const one = (values: readonly string[], several: string): string =>
  new Set(values).size === 1 ? values[0]! : several;

/** The notification-wide values templates can use. */
export const summaryValues = (notification: Notification): PlaceholderValues => {
  const { alerts } = notification;
  return {
    status: notification.status.toUpperCase(),
    count: String(alerts.length),
    severity: notification.severity,
    summary: alerts[0]?.summary ?? '',
    device: one(
      alerts.map((alert) => alert.deviceName),
      `${new Set(alerts.map((alert) => alert.deviceId)).size} devices`,
    ),
    organization: notification.organizationId,
    condition: one(
      alerts.map((alert) => alert.condition),
      'several conditions',
    ),
    receiver: notification.receiver,
  };
};

/** How each alert's part of a message is headed. */
export const kindLabel = (kind: Notification['alerts'][number]['kind']): string => kind.toUpperCase();
