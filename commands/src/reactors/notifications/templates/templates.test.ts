import { describe, expect, it } from 'vitest';
import type { Notification, NotificationAlert } from '../notification.js';
import { renderEmail } from './email-template.js';
import { renderSlackMessage } from './slack-message.js';
import { renderWebhookPayload } from './webhook-payload.js';

const alert = (overrides: Partial<NotificationAlert> = {}): NotificationAlert => ({
  alertId: 'a-1',
  alertKey: 'k-1',
  kind: 'raised',
  state: 'firing',
  severity: 'critical',
  condition: 'device-down',
  summary: 'core-1 is down: 3 probes failed',
  deviceId: 'core-1',
  deviceName: 'core-1',
  deviceTags: ['core'],
  ruleId: null,
  raisedAt: '2025-06-01T12:01:00.000Z',
  resolvedAt: null,
  escalationLevel: 0,
  acknowledged: false,
  details: { from: 'up', to: 'down' },
  links: { alert: 'https://noc.example/alerts/a-1', device: 'https://noc.example/devices/core-1' },
  ...overrides,
});

const notification = (
  alerts: NotificationAlert[],
  status: 'firing' | 'resolved' = 'firing',
): Notification => ({
  notificationId: 'n-1',
  receiver: 'noc',
  organizationId: 'acme',
  groupKey: 'noc:route-1:{organization="acme"}',
  groupLabels: { organization: 'acme' },
  status,
  severity: alerts[0]!.severity,
  alerts,
});

describe('e-mail template', () => {
  it('renders the subject template and lists each alert with its state, device, summary and links', () => {
    const email = renderEmail(
      notification([
        alert(),
        alert({
          alertId: 'a-2',
          kind: 'resolved',
          state: 'resolved',
          deviceId: 'edge-7',
          deviceName: 'edge-7',
          resolvedAt: '2025-06-01T12:09:00.000Z',
        }),
      ]),
      '{{status}} {{count}} on {{device}} ({{organization}})',
    );
    expect(email.subject).toBe('FIRING 2 on 2 devices (acme)');
    expect(email.text).toContain(
      '[RAISED] critical - core-1 (device-down)\n  core-1 is down: 3 probes failed',
    );
    expect(email.text).toContain('[RESOLVED] critical - edge-7 (device-down)');
    expect(email.text).toContain('resolved 2025-06-01T12:09:00.000Z');
    expect(email.text).toContain('alert: https://noc.example/alerts/a-1');
    expect(email.text).toContain('Notification n-1');
  });

  it('uses a default subject, keeps it on one line and escapes alert text in HTML', () => {
    const email = renderEmail(
      notification([alert({ summary: '<script>x</script>\r\nBcc: evil@example.test' })]),
    );
    expect(email.subject).toBe('[FIRING:1] critical <script>x</script> Bcc: evil@example.test');
    expect(email.html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('<a href="https://noc.example/alerts/a-1">alert</a>');
  });
});

describe('slack message', () => {
  it('has fallback text from its template and one mrkdwn section per alert, escaped', () => {
    const message = renderSlackMessage(notification([alert({ summary: 'loss > 20% & rising <now>' })]));
    expect(message.text).toBe('FIRING: 1 critical alert(s) - loss > 20% & rising <now>');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.text } });
    const section = message.blocks[1] as { text: { type: string; text: string } };
    expect(section.text.type).toBe('mrkdwn');
    expect(section.text.text).toContain(
      'loss &gt; 20% &amp; rising &lt;now&gt; <https://noc.example/alerts/a-1|open>',
    );
  });

  it('stays within Slack block limits for a large group', () => {
    const alerts = Array.from({ length: 60 }, (_, i) => alert({ alertId: `a-${i}` }));
    const message = renderSlackMessage(notification(alerts), '{{count}} alerts');
    expect(message.text).toBe('60 alerts');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(message.blocks)).toContain('… and 40 more');
  });
});

describe('webhook payload', () => {
  it('is versioned JSON carrying the group and each alert with device, state and links', () => {
    const payload = renderWebhookPayload(notification([alert({ kind: 'escalated', escalationLevel: 1 })]));
    expect(payload).toMatchObject({
      version: '1',
      notificationId: 'n-1',
      receiver: 'noc',
      status: 'firing',
      organizationId: 'acme',
      groupLabels: { organization: 'acme' },
    });
    expect(payload.alerts[0]).toEqual({
      alertId: 'a-1',
      alertKey: 'k-1',
      kind: 'escalated',
      state: 'firing',
      severity: 'critical',
      condition: 'device-down',
      summary: 'core-1 is down: 3 probes failed',
      device: { id: 'core-1', name: 'core-1', tags: ['core'] },
      ruleId: null,
      raisedAt: '2025-06-01T12:01:00.000Z',
      resolvedAt: null,
      escalationLevel: 1,
      acknowledged: false,
      details: { from: 'up', to: 'down' },
      links: { alert: 'https://noc.example/alerts/a-1', device: 'https://noc.example/devices/core-1' },
    });
  });
});
