import type { Notification, NotificationAlert } from '../notification.js';
import { renderPlaceholders } from './placeholders.js';
import { kindLabel, summaryValues } from './summary-values.js';

export const DEFAULT_EMAIL_SUBJECT = '[{{status}}:{{count}}] {{severity}} {{summary}}';

export type RenderedEmail = Readonly<{ subject: string; text: string; html: string }>;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A subject is one header line: line breaks from alert text must not start new headers. */
const oneLine = (text: string): string =>
  text
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 250);

const when = (alert: NotificationAlert): string =>
  alert.resolvedAt ? `resolved ${alert.resolvedAt} (raised ${alert.raisedAt})` : `raised ${alert.raisedAt}`;

const textBlock = (alert: NotificationAlert): string =>
  [
    `[${kindLabel(alert.kind)}] ${alert.severity} - ${alert.deviceName} (${alert.condition})`,
    `  ${alert.summary}`,
    `  ${when(alert)}${alert.escalationLevel > 0 ? `, escalation level ${alert.escalationLevel}` : ''}`,
    ...(alert.links.alert ? [`  alert: ${alert.links.alert}`] : []),
    ...(alert.links.device ? [`  device: ${alert.links.device}`] : []),
  ].join('\n');

const htmlBlock = (alert: NotificationAlert): string => {
  const title = `[${kindLabel(alert.kind)}] ${alert.severity} - ${alert.deviceName} (${alert.condition})`;
  const links = [
    alert.links.alert ? `<a href="${escapeHtml(alert.links.alert)}">alert</a>` : '',
    alert.links.device ? `<a href="${escapeHtml(alert.links.device)}">device</a>` : '',
  ].filter(Boolean);
  return [
    `<li><strong>${escapeHtml(title)}</strong><br>`,
    `${escapeHtml(alert.summary)}<br>`,
    `<small>${escapeHtml(when(alert))}${links.length > 0 ? ` &middot; ${links.join(' &middot; ')}` : ''}</small></li>`,
  ].join('');
};

/** Subject (template) and a plain-text and HTML body listing every alert of the notification. */
export const renderEmail = (
  notification: Notification,
  subjectTemplate = DEFAULT_EMAIL_SUBJECT,
): RenderedEmail => {
  const values = summaryValues(notification);
  const heading = `NetPulse ${values.status}: ${values.count} alert(s), ${values.severity}, organization ${values.organization}`;
  const footer = `Notification ${notification.notificationId}`;
  return {
    subject: oneLine(renderPlaceholders(subjectTemplate, values)),
    text: [heading, '', ...notification.alerts.map(textBlock), '', footer].join('\n'),
    html: [
      `<p>${escapeHtml(heading)}</p>`,
      `<ul>${notification.alerts.map(htmlBlock).join('')}</ul>`,
      `<p><small>${escapeHtml(footer)}</small></p>`,
    ].join('\n'),
  };
};
