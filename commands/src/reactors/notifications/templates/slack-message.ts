import type { Notification, NotificationAlert } from '../notification.js';
import { renderPlaceholders } from './placeholders.js';
import { kindLabel, summaryValues } from './summary-values.js';

export const DEFAULT_SLACK_TEXT = '{{status}}: {{count}} {{severity}} alert(s) - {{summary}}';

/** Slack takes at most 50 blocks per message; the rest is counted, not listed. */
const MAX_LISTED = 20;

/** Slack's mrkdwn treats these three as control characters. */
const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const alertText = (alert: NotificationAlert): string => {
  const title = `*[${kindLabel(alert.kind)}] ${escapeMrkdwn(alert.severity)}* ${escapeMrkdwn(alert.deviceName)} (${escapeMrkdwn(alert.condition)})`;
  const link = alert.links.alert ? ` <${alert.links.alert}|open>` : '';
  const when = alert.resolvedAt ? `resolved ${alert.resolvedAt}` : `raised ${alert.raisedAt}`;
  return `${title}\n${escapeMrkdwn(alert.summary)}${link}\n_${when}_`.slice(0, 3000);
};

/** A Slack-compatible incoming-webhook body: `text` (fallback and heading) and Block Kit blocks. */
export const renderSlackMessage = (notification: Notification, textTemplate = DEFAULT_SLACK_TEXT) => {
  const text = renderPlaceholders(textTemplate, summaryValues(notification)).slice(0, 3000);
  const listed = notification.alerts.slice(0, MAX_LISTED);
  const more = notification.alerts.length - listed.length;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150) } },
      ...listed.map((alert) => ({ type: 'section', text: { type: 'mrkdwn', text: alertText(alert) } })),
      ...(more > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: `… and ${more} more` } }] : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `notification ${notification.notificationId}` }],
      },
    ],
  };
};
export type SlackMessage = ReturnType<typeof renderSlackMessage>;
