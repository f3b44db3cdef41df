import type { Notification } from '../notification.js';

/**
 * The JSON a webhook receives (version 1). Field names are a contract with integrators: add fields,
 * never rename or remove them without a new version.
 */
export const renderWebhookPayload = (notification: Notification) => ({
  version: '1',
  notificationId: notification.notificationId,
  receiver: notification.receiver,
  status: notification.status,
  severity: notification.severity,
  organizationId: notification.organizationId,
  groupKey: notification.groupKey,
  groupLabels: notification.groupLabels,
  alerts: notification.alerts.map((alert) => ({
    alertId: alert.alertId,
    alertKey: alert.alertKey,
    kind: alert.kind,
    state: alert.state,
    severity: alert.severity,
    condition: alert.condition,
    summary: alert.summary,
    device: { id: alert.deviceId, name: alert.deviceName, tags: alert.deviceTags },
    ruleId: alert.ruleId,
    raisedAt: alert.raisedAt,
    resolvedAt: alert.resolvedAt,
    escalationLevel: alert.escalationLevel,
    acknowledged: alert.acknowledged,
    details: alert.details,
    links: alert.links,
  })),
});
export type WebhookPayload = ReturnType<typeof renderWebhookPayload>;
