import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAlertingReactor,
  NOTIFICATIONS_REACTOR,
  type Reactor,
  type ReactorLogger,
  type ReactorRunner,
} from '@netpulse/commands';
import { type RecordedEvent, systemClock } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotificationsSetup, notificationsFromEnv } from './notifications-config.js';
import { configuredNotificationsReactor } from './notifications-reactor-setup.js';
import { reactorConfigFromEnv } from './reactor-config.js';
import { type ReactorRole, startReactorRole } from './start-reactor-role.js';
import { type NotificationReceivers, startNotificationReceivers } from './testing/notification-receivers.js';
import { type Fixture, ManualClock, openFixture } from './testing/reactor-fixture.js';

const postgres = await detectPostgres();
const poll = { timeout: 15_000, interval: 50 };

const SENDGRID_KEY = 'SG.it-sendgrid-secret-key';
const HOOK_SECRET = 'whsec-it-signing-secret';
const SLACK_TOKEN = 'slack-secret-token-x9';
const FLAKY_TOKEN = 'flaky-secret-token-q7';
const SECRETS = [SENDGRID_KEY, HOOK_SECRET, SLACK_TOKEN, FLAKY_TOKEN];

const MAIL = '/v3/mail/send';
const OPS = '/hooks/ops';
const FLAKY = `/hooks/flaky?token=${FLAKY_TOKEN}`;
const RESTART = '/hooks/restart';
const SLACK = `/services/T000/B000/${SLACK_TOKEN}`;

const notificationsFile = (base: string) => ({
  defaults: { groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 14_400 },
  retry: { maxAttempts: 3, initialDelaySeconds: 0.05, maxDelaySeconds: 0.2, jitter: 0.5 },
  tickSeconds: 0.05,
  links: { baseUrl: 'https://noc.example.test' },
  receivers: [
    {
      name: 'noc-mail',
      channel: 'email',
      to: ['noc@example.test', 'oncall@example.test'],
      from: 'netpulse@example.test',
      fromName: 'NetPulse',
    },
    { name: 'maint-mail', channel: 'email', to: ['maint@example.test'], from: 'netpulse@example.test' },
    { name: 'ops-hook', channel: 'webhook', url: `${base}${OPS}`, secretEnv: 'NP_IT_HOOK_SECRET' },
    { name: 'chat', channel: 'slack', urlEnv: 'NP_IT_SLACK_URL' },
    { name: 'flaky-hook', channel: 'webhook', urlEnv: 'NP_IT_FLAKY_URL', secretEnv: 'NP_IT_HOOK_SECRET' },
    { name: 'restart-hook', channel: 'webhook', url: `${base}${RESTART}`, secretEnv: 'NP_IT_HOOK_SECRET' },
  ],
  routes: [
    { match: { tags: ['mail'] }, receivers: ['noc-mail'] },
    { match: { tags: ['maint'] }, receivers: ['maint-mail'] },
    { match: { tags: ['hook'] }, receivers: ['ops-hook', 'chat'] },
    { match: { tags: ['flaky'] }, receivers: ['flaky-hook'] },
    { match: { tags: ['restart'] }, receivers: ['restart-hook'] },
  ],
});

type SendGridMail = {
  personalizations: { to: { email: string }[] }[];
  from: { email: string; name?: string };
  subject: string;
  content: { type: string; value: string }[];
  custom_args?: Record<string, string>;
};
type NotificationData = {
  alertId: string;
  notificationId: string;
  channel: string;
  target: string;
  kind: string;
  attempt: number;
  error?: string;
  willRetry?: boolean;
};

/** Every log line as JSON, to check what reaches the logs. */
const capturingLogger = (lines: string[]): ReactorLogger => {
  const at =
    (level: string) =>
    (obj: Readonly<Record<string, unknown>>, msg?: string): void => {
      lines.push(JSON.stringify({ level, ...obj, msg }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

const writeSetup = async (dir: string, base: string, extra: Record<string, unknown> = {}) => {
  const file = join(dir, `notifications-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify({ ...notificationsFile(base), ...extra }));
  return notificationsFromEnv({
    NETPULSE_NOTIFICATIONS_FILE: file,
    SENDGRID_API_KEY: SENDGRID_KEY,
    SENDGRID_API_BASE_URL: `${base}/`,
    NP_IT_HOOK_SECRET: HOOK_SECRET,
    NP_IT_SLACK_URL: `${base}${SLACK}`,
    NP_IT_FLAKY_URL: `${base}${FLAKY}`,
  })!;
};

describe.skipIf(!postgres.available)('notifications reactor on PostgreSQL', () => {
  let fx: Fixture;
  let receivers: NotificationReceivers;
  let setup: NotificationsSetup;
  let dir: string;
  let runner: ReactorRunner;
  const clock = new ManualClock();
  const logLines: string[] = [];
  const logger = capturingLogger(logLines);
  const registry = new Registry();
  const newReactor = (): Reactor => configuredNotificationsReactor(setup, { clock, registry });
  let reactor: Reactor;

  const advance = (seconds: number) => clock.advance(seconds * 1000);
  /** Long enough for several ticks (50 ms) to look for due groups. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
  const downStream = (deviceId: string) => fx.alertStream({ deviceId, condition: 'device-down' });
  const status = (deviceId: string, to: 'down' | 'up') =>
    fx.command('ChangeDeviceStatus', { deviceId, to, reason: 'test' }, clock.now());
  const alertEvents = (deviceId: string) => fx.events(downStream(deviceId));
  const notifications = async (deviceId: string): Promise<RecordedEvent[]> =>
    (await alertEvents(deviceId)).filter((event) => event.type.startsWith('Notification'));
  const notificationTypes = async (deviceId: string) =>
    (await notifications(deviceId)).map((event) => event.type);
  const dataOf = (event: RecordedEvent | undefined) => event?.data as NotificationData;
  /** Waits until the alert stream shows `type` and the notifications reactor has read it. */
  const seen = async (deviceIds: readonly string[], type: string) => {
    for (const deviceId of deviceIds) {
      await expect
        .poll(async () => (await alertEvents(deviceId)).map((event) => event.type), poll)
        .toContain(type);
    }
    await expect.poll(() => fx.caughtUp(reactor), poll).toBe(true);
  };
  const mailsTo = (address: string) =>
    receivers
      .to(MAIL)
      .map((request) => request.json as SendGridMail)
      .filter((mail) => mail.personalizations.some((p) => p.to.some((to) => to.email === address)));
  const restart = async () => {
    await runner.stop();
    reactor = newReactor();
    runner = fx.run(reactor, { clock, logger });
  };

  beforeAll(async () => {
    fx = await openFixture();
    receivers = await startNotificationReceivers({
      webhookSecret: HOOK_SECRET,
      nowSeconds: () => Math.floor(clock.now().getTime() / 1000),
    });
    dir = await mkdtemp(join(tmpdir(), 'netpulse-notifications-'));
    setup = await writeSetup(dir, receivers.base);
    // The alerting reactor's clock stays put: no escalations interfere.
    fx.run(createAlertingReactor());
    reactor = newReactor();
    runner = fx.run(reactor, { clock, logger });
  });
  afterAll(async () => {
    await fx?.close();
    await receivers?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('e-mails a group through the SendGrid v3 API after group_wait, and the recovery a group interval later', async () => {
    await fx.register('mail-1', { tags: ['mail'] });
    await fx.register('mail-2', { tags: ['mail'] });
    await status('mail-1', 'down');
    advance(5);
    await status('mail-2', 'down');
    await seen(['mail-1', 'mail-2'], 'AlertRaised');

    advance(24); // 29 s after the first alert
    await settle();
    expect(receivers.to(MAIL)).toHaveLength(0);
    advance(1);
    await expect.poll(() => receivers.to(MAIL).length, poll).toBe(1);
    const sentAt = clock.now();

    const request = receivers.to(MAIL)[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(`Bearer ${SENDGRID_KEY}`);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    const mail = request.json as SendGridMail;
    expect(mail.personalizations).toEqual([
      { to: [{ email: 'noc@example.test' }] },
      { to: [{ email: 'oncall@example.test' }] },
    ]);
    expect(mail.from).toEqual({ email: 'netpulse@example.test', name: 'NetPulse' });
    expect(mail.subject).toBe('[FIRING:2] critical mail-1 is down: test');
    expect(mail.content.map((part) => part.type)).toEqual(['text/plain', 'text/html']);
    const text = mail.content[0]!.value;
    expect(text).toContain('[RAISED] critical - mail-1 (device-down)');
    expect(text).toContain('[RAISED] critical - mail-2 (device-down)');

    await expect.poll(() => notificationTypes('mail-1'), poll).toEqual(['NotificationSent']);
    await expect.poll(() => notificationTypes('mail-2'), poll).toEqual(['NotificationSent']);
    const [raised] = await alertEvents('mail-1');
    const [first] = await notifications('mail-1');
    const [second] = await notifications('mail-2');
    expect(dataOf(first)).toMatchObject({
      alertId: (raised!.data as { alertId: string }).alertId,
      channel: 'email',
      target: 'noc@example.test,oncall@example.test',
      kind: 'raised',
      attempt: 1,
    });
    expect((first!.data as { sentAt: string }).sentAt).toBe(sentAt.toISOString());
    expect(dataOf(second).notificationId).toBe(dataOf(first).notificationId);
    expect(mail.custom_args).toEqual({ notificationId: dataOf(first).notificationId });
    expect(text).toContain(`https://noc.example.test/alerts/${dataOf(first).alertId}`);
    expect(first!.metadata.actor).toEqual({ kind: 'system', id: NOTIFICATIONS_REACTOR });
    expect(first!.metadata.causationId).toBe(raised!.id);

    advance(10);
    await status('mail-1', 'up');
    await seen(['mail-1'], 'AlertResolved');
    advance(289); // 299 s after the first notification
    await settle();
    expect(receivers.to(MAIL)).toHaveLength(1);
    advance(1);
    await expect.poll(() => receivers.to(MAIL).length, poll).toBe(2);
    const recovery = receivers.to(MAIL)[1]!.json as SendGridMail;
    expect(recovery.subject).toBe('[RESOLVED:1] critical mail-1 is down: test');
    expect(recovery.content[0]!.value).toContain('[RESOLVED] critical - mail-1 (device-down)');
    expect(recovery.content[0]!.value).not.toContain('mail-2');
    await expect
      .poll(() => notificationTypes('mail-1'), poll)
      .toEqual(['NotificationSent', 'NotificationSent']);
    expect(dataOf((await notifications('mail-1'))[1]).kind).toBe('resolved');
    expect(await notificationTypes('mail-2')).toEqual(['NotificationSent']);
  });

  it('signs webhooks (HMAC-SHA256 over timestamp and body) and posts Slack-compatible messages', async () => {
    await fx.register('hook-1', { tags: ['hook'] });
    await status('hook-1', 'down');
    await seen(['hook-1'], 'AlertRaised');
    advance(30);
    await expect.poll(() => receivers.to(OPS).length, poll).toBe(1);
    await expect.poll(() => receivers.to(SLACK).length, poll).toBe(1);

    const hook = receivers.to(OPS)[0]!;
    expect(hook.signatureValid).toBe(true);
    expect(hook.headers['x-netpulse-timestamp']).toBe(String(Math.floor(clock.now().getTime() / 1000)));
    expect(hook.json).toMatchObject({
      version: '1',
      receiver: 'ops-hook',
      status: 'firing',
      alerts: [
        {
          kind: 'raised',
          state: 'firing',
          severity: 'critical',
          condition: 'device-down',
          summary: 'hook-1 is down: test',
          device: { id: 'hook-1', name: 'hook-1', tags: ['hook'] },
        },
      ],
    });
    const slack = receivers.to(SLACK)[0]!.json as { text: string; blocks: { text?: { text: string } }[] };
    expect(slack.text).toBe('FIRING: 1 critical alert(s) - hook-1 is down: test');
    expect(slack.blocks[1]?.text?.text).toContain('hook-1 is down: test');

    await expect.poll(() => notifications('hook-1').then((events) => events.length), poll).toBe(2);
    const records = (await notifications('hook-1')).map(dataOf);
    expect(records.map((record) => `${record.channel}:${record.target}:${record.kind}`).sort()).toEqual([
      'slack:chat:raised',
      'webhook:ops-hook:raised',
    ]);
    const webhookRecord = records.find((record) => record.channel === 'webhook')!;
    expect(hook.headers['x-netpulse-notification-id']).toBe(webhookRecord.notificationId);
  });

  it('retries a failing receiver with back-off, records each failure, then the delivery', async () => {
    receivers.answer(FLAKY, [503, 503]);
    await fx.register('flaky-1', { tags: ['flaky'] });
    await status('flaky-1', 'down');
    await seen(['flaky-1'], 'AlertRaised');
    advance(30);
    await expect
      .poll(() => notificationTypes('flaky-1'), poll)
      .toEqual(['NotificationFailed', 'NotificationFailed', 'NotificationSent']);
    const records = (await notifications('flaky-1')).map(dataOf);
    expect(records.map((record) => [record.attempt, record.error, record.willRetry])).toEqual([
      [1, 'HTTP 503', true],
      [2, 'HTTP 503', true],
      [3, undefined, undefined],
    ]);
    expect(new Set(records.map((record) => record.notificationId)).size).toBe(1);
    expect(receivers.to(FLAKY).map((request) => request.headers['x-netpulse-attempt'])).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('keeps a notification whose retries ran out, and delivers it one group interval later', async () => {
    const before = receivers.to(FLAKY).length;
    receivers.answer(FLAKY, [500, 500, 500]);
    await fx.register('flaky-2', { tags: ['flaky'] });
    await status('flaky-2', 'down');
    await seen(['flaky-2'], 'AlertRaised');
    // Same group as flaky-1, notified just now: the next notification waits for the group interval.
    advance(300);
    await expect
      .poll(() => notificationTypes('flaky-2'), poll)
      .toEqual(['NotificationFailed', 'NotificationFailed', 'NotificationFailed']);
    const failed = (await notifications('flaky-2')).map(dataOf);
    expect(failed.map((record) => record.willRetry)).toEqual([true, true, false]);
    expect(receivers.to(FLAKY)).toHaveLength(before + 3);

    advance(299);
    await settle();
    expect(await notificationTypes('flaky-2')).toHaveLength(3);
    advance(1);
    await expect
      .poll(() => notificationTypes('flaky-2').then((types) => types.at(-1)), poll)
      .toBe('NotificationSent');
    const sent = dataOf((await notifications('flaky-2')).at(-1));
    expect(sent).toMatchObject({ kind: 'raised', attempt: 1 });
    expect(sent.notificationId).not.toBe(failed[0]!.notificationId);
    expect(await notificationTypes('flaky-1')).toHaveLength(3);
  });

  it('never notifies an alert born in maintenance, and always delivers the recovery of a notified one', async () => {
    const window = (deviceId: string) =>
      fx.command(
        'ScheduleMaintenance',
        {
          deviceId,
          windowId: `mw-${deviceId}`,
          startsAt: new Date(clock.now().getTime() - 1000).toISOString(),
          endsAt: new Date(clock.now().getTime() + 7_200_000).toISOString(),
          reason: 'firmware',
        },
        clock.now(),
      );
    await fx.register('maint-1', { tags: ['maint'] });
    await fx.register('maint-2', { tags: ['maint'] });
    await window('maint-1');
    await status('maint-1', 'down');
    await status('maint-2', 'down');
    await seen(['maint-1', 'maint-2'], 'AlertRaised');
    expect((await alertEvents('maint-1')).map((event) => event.type)).toEqual([
      'AlertRaised',
      'AlertSuppressed',
    ]);
    advance(30);
    await expect.poll(() => mailsTo('maint@example.test').length, poll).toBe(1);
    expect(mailsTo('maint@example.test')[0]!.subject).toBe('[FIRING:1] critical maint-2 is down: test');

    // Now maint-2 goes into maintenance too; both recover.
    await window('maint-2');
    await status('maint-1', 'up');
    await status('maint-2', 'up');
    await seen(['maint-1', 'maint-2'], 'AlertResolved');
    advance(300);
    await expect.poll(() => mailsTo('maint@example.test').length, poll).toBe(2);
    const recovery = mailsTo('maint@example.test')[1]!;
    expect(recovery.subject).toBe('[RESOLVED:1] critical maint-2 is down: test');
    await settle();
    expect(mailsTo('maint@example.test')).toHaveLength(2);
    expect(JSON.stringify(receivers.requests.map((request) => request.body))).not.toContain('maint-1');
    expect(await notificationTypes('maint-1')).toEqual([]);
    expect((await notifications('maint-2')).map((event) => dataOf(event).kind)).toEqual([
      'raised',
      'resolved',
    ]);
  });

  it('keeps a pending group across a restart and sends it once', async () => {
    await fx.register('restart-1', { tags: ['restart'] });
    await status('restart-1', 'down');
    await seen(['restart-1'], 'AlertRaised');
    // The running instance has read (and checkpointed) the raise; it stops before group_wait ends.
    await restart();
    advance(30);
    await expect.poll(() => receivers.to(RESTART).length, poll).toBe(1);
    await settle();
    expect(receivers.to(RESTART)).toHaveLength(1);
    expect(await notificationTypes('restart-1')).toEqual(['NotificationSent']);
  });

  it('replayed from position 0, sends nothing again', async () => {
    const countNotifications = async () =>
      (
        await fx.pool.query<{ n: string }>(
          `select count(*) as n from "${fx.schema}".events where type like 'Notification%'`,
        )
      ).rows[0]!.n;
    await runner.stop();
    await fx.checkpoints.reset(NOTIFICATIONS_REACTOR);
    const requests = receivers.requests.length;
    const recorded = await countNotifications();
    expect(Number(recorded)).toBeGreaterThan(10);

    reactor = newReactor();
    runner = fx.run(reactor, { clock, logger });
    await expect.poll(() => fx.caughtUp(reactor), poll).toBe(true);
    advance(60);
    await settle();
    expect(receivers.requests.length).toBe(requests);
    expect(await countNotifications()).toBe(recorded);
  });

  it('keeps secrets out of events and log lines, while naming who was told', async () => {
    const { rows } = await fx.pool.query<{ data: string; metadata: string }>(
      `select data::text as data, metadata::text as metadata from "${fx.schema}".events`,
    );
    const stored = rows.map((row) => `${row.data} ${row.metadata}`).join('\n');
    expect(stored).toContain('noc@example.test,oncall@example.test');
    expect(stored).toContain('"target": "ops-hook"');
    expect(logLines.some((line) => line.includes('notification attempt failed'))).toBe(true);
    expect(logLines.some((line) => line.includes('notification sent'))).toBe(true);
    for (const secret of SECRETS) {
      expect(stored).not.toContain(secret);
      expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
    }
    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /netpulse_notifications_deliveries_total\{channel="webhook",outcome="retrying"\} 4/,
    );
    expect(metrics).toMatch(
      /netpulse_notifications_deliveries_total\{channel="webhook",outcome="failed"\} 1/,
    );
    expect(metrics).toMatch(/netpulse_notifications_deliveries_total\{channel="email",outcome="sent"\} 4/);
  });
});

describe.skipIf(!postgres.available)('reactor role with notifications', () => {
  let fx: Fixture;
  let receivers: NotificationReceivers;
  let dir: string;
  const roles: ReactorRole[] = [];

  beforeAll(async () => {
    fx = await openFixture();
    receivers = await startNotificationReceivers({
      webhookSecret: HOOK_SECRET,
      nowSeconds: () => Math.floor(Date.now() / 1000),
    });
    dir = await mkdtemp(join(tmpdir(), 'netpulse-notifications-'));
  });
  afterAll(async () => {
    for (const role of roles) await role.stop();
    await fx?.close();
    await receivers?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the notifications reactor only when configured, and delivers through it', async () => {
    const start = async (notifications: NotificationsSetup | null, registry: Registry) => {
      const role = await startReactorRole({
        store: fx.store,
        connectionString: fx.connectionString,
        schema: fx.schema,
        logger: capturingLogger([]),
        registry,
        clock: systemClock,
        config: {
          ...reactorConfigFromEnv({ NETPULSE_REACTOR_STANDBY_RETRY_SECONDS: '0.05' }),
          notifications,
        },
      });
      roles.push(role);
      return role;
    };
    const without = await start(null, new Registry());
    expect(Object.keys(without.status()).sort()).toEqual(['alerting-reactor', 'health-reactor']);
    await without.stop();

    const registry = new Registry();
    const setup = await writeSetup(dir, receivers.base, { defaults: { groupWaitSeconds: 0 } });
    const role = await start(setup, registry);
    await expect.poll(() => role.status()[NOTIFICATIONS_REACTOR], poll).toBe('active');
    await fx.register('role-hook', { tags: ['hook'] });
    await fx.command('ChangeDeviceStatus', { deviceId: 'role-hook', to: 'down', reason: 'test' }, new Date());
    await expect.poll(() => receivers.to(OPS).length, poll).toBe(1);
    expect(receivers.to(OPS)[0]!.signatureValid).toBe(true);
    await expect
      .poll(() => registry.metrics(), poll)
      .toMatch(/netpulse_notifications_deliveries_total\{channel="webhook",outcome="sent"\} 1/);
  });
});
