import { type Severity, severities, severityRank } from '@netpulse/domain';
import type { PlannedFlush } from './grouping.js';
import type { Kind, NotifiableAlert } from './notifiable-alert.js';
import type { DeviceInfo } from './routing.js';

/** One alert as every channel's template sees it. */
export type NotificationAlert = Readonly<{
  alertId: string;
  alertKey: string;
  kind: Kind;
  state: 'firing' | 'resolved';
  severity: Severity;
  condition: string;
  summary: string;
  deviceId: string;
  deviceName: string;
  deviceTags: readonly string[];
  ruleId: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  escalationLevel: number;
  acknowledged: boolean;
  details: Readonly<Record<string, string | number | boolean>>;
  links: Readonly<{ alert?: string; device?: string }>;
}>;

/** The message of one group's notification, channel-neutral. */
export type Notification = Readonly<{
  notificationId: string;
  receiver: string;
  organizationId: string;
  groupKey: string;
  groupLabels: Readonly<Record<string, string>>;
  /** `firing` while any alert in it fires. */
  status: 'firing' | 'resolved';
  /** The most urgent severity among the alerts. */
  severity: Severity;
  alerts: readonly NotificationAlert[];
}>;

const link = (baseUrl: string | undefined, path: string): string | undefined =>
  baseUrl === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}/${path}`;

export const toNotification = (
  flush: PlannedFlush,
  deviceOf: (alert: NotifiableAlert) => DeviceInfo | null,
  baseUrl?: string,
): Notification => {
  const alerts = flush.items.map(({ alert, kind }): NotificationAlert => {
    const device = deviceOf(alert);
    return {
      alertId: alert.alertId,
      alertKey: alert.alertKey,
      kind,
      state: kind === 'resolved' ? 'resolved' : 'firing',
      severity: alert.severity,
      condition: alert.condition,
      summary: alert.summary,
      deviceId: alert.deviceId,
      deviceName: device?.name ?? alert.deviceId,
      deviceTags: device?.tags ?? [],
      ruleId: alert.ruleId,
      raisedAt: new Date(alert.raised.at).toISOString(),
      resolvedAt: alert.resolved ? new Date(alert.resolved.at).toISOString() : null,
      escalationLevel: alert.escalations.at(-1)?.level ?? 0,
      acknowledged: alert.acknowledged,
      details: alert.details,
      links: {
        alert: link(baseUrl, `alerts/${encodeURIComponent(alert.alertId)}`),
        device: link(baseUrl, `devices/${encodeURIComponent(alert.deviceId)}`),
      },
    };
  });
  const severity = alerts.reduce<Severity>(
    (worst, alert) => (severityRank(alert.severity) < severityRank(worst) ? alert.severity : worst),
    severities[severities.length - 1]!,
  );
  return {
    notificationId: flush.notificationId,
    receiver: flush.receiver.name,
    organizationId: flush.organizationId,
    groupKey: flush.groupKey,
    groupLabels: flush.groupLabels,
    status: alerts.some((alert) => alert.state === 'firing') ? 'firing' : 'resolved',
    severity,
    alerts,
  };
};
