import { randomUUID } from 'node:crypto';
import { createAlertingReactor, handleCommand } from '@netpulse/commands';
import { type AlertCommand, alertDecider, deviceConditions, EscalationPolicy } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, type Fixture, ManualClock, ORG, openFixture } from './testing/reactor-fixture.js';

const postgres = await detectPostgres();
const poll = { timeout: 15_000, interval: 50 };

const types = async (fx: Fixture, stream: string) => (await fx.events(stream)).map((event) => event.type);
const status = (fx: Fixture, deviceId: string, to: string, seconds: number) =>
  fx.command('ChangeDeviceStatus', { deviceId, to, reason: 'test' }, at(seconds));
const down = (deviceId: string) => ({ deviceId, condition: deviceConditions.down });

describe.skipIf(!postgres.available)('alerting reactor on PostgreSQL', () => {
  let fx: Fixture;
  const reactor = createAlertingReactor();

  beforeAll(async () => {
    fx = await openFixture();
    fx.run(reactor);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('raises once per key, counts repeats, resolves on recovery and opens a new instance after', async () => {
    await fx.register('dev-b');
    await status(fx, 'dev-b', 'up', 0);
    await status(fx, 'dev-b', 'down', 60);
    await status(fx, 'dev-b', 'unreachable', 90);
    await status(fx, 'dev-b', 'up', 120);
    await status(fx, 'dev-b', 'down', 180);
    const stream = fx.alertStream(down('dev-b'));
    await expect
      .poll(() => types(fx, stream), poll)
      .toEqual(['AlertRaised', 'AlertRepeated', 'AlertResolved', 'AlertRaised']);
    const [first, repeated, resolved, second] = await fx.events(stream);
    expect(first!.data).toMatchObject({
      condition: 'device-down',
      severity: 'critical',
      raisedAt: at(60).toISOString(),
    });
    expect(repeated!.data).toMatchObject({ count: 2, severity: 'major' });
    expect(resolved!.data).toMatchObject({ automatic: true, by: { kind: 'system', id: 'alerting-reactor' } });
    expect((second!.data as { alertId: string }).alertId).not.toBe(
      (first!.data as { alertId: string }).alertId,
    );
    expect(first!.metadata.organizationId).toBe(ORG);
  });

  it('raises a metric rule after its `for` duration, in scope only, with hysteresis', async () => {
    await fx.command('DefineAlertRule', {
      ruleId: 'rule-loss',
      name: 'High loss',
      metric: 'icmp.lossPct',
      operator: '>',
      threshold: 20,
      clearThreshold: 10,
      forSeconds: 60,
      severity: 'major',
      scope: { tags: ['core'] },
    });
    await fx.register('dev-c', { tags: ['core'] });
    await fx.register('dev-d');
    // 30 s from 30 s on: the breach has lasted 60 s at 90 s. 15 is between the thresholds (no
    // clear), the next breach episode repeats the open alert, 5 clears it.
    const losses = [5, 30, 30, 30, 30, 15, 30, 30, 30, 5];
    await fx.observeLoss('dev-c', losses);
    await fx.observeLoss('dev-d', losses);
    const stream = fx.alertStream({ deviceId: 'dev-c', ruleId: 'rule-loss' });
    await expect
      .poll(() => types(fx, stream), poll)
      .toEqual(['AlertRaised', 'AlertRepeated', 'AlertResolved']);
    const [raised, repeated, resolved] = await fx.events(stream);
    expect(raised!.data).toMatchObject({
      ruleId: 'rule-loss',
      condition: 'metric:icmp.lossPct',
      severity: 'major',
      raisedAt: at(90).toISOString(),
      details: { value: 30, threshold: 20 },
    });
    expect(repeated!.data).toMatchObject({ count: 2, repeatedAt: at(240).toISOString() });
    expect(resolved!.data).toMatchObject({ automatic: true, resolvedAt: at(270).toISOString() });
    await expect.poll(() => fx.caughtUp(reactor), poll).toBe(true);
    expect(await fx.events(fx.alertStream({ deviceId: 'dev-d', ruleId: 'rule-loss' }))).toEqual([]);
  });

  it('suppresses alerts of a device in maintenance, and still resolves them', async () => {
    await fx.register('dev-e');
    await fx.command('ScheduleMaintenance', {
      deviceId: 'dev-e',
      windowId: 'mw-e',
      startsAt: at(0).toISOString(),
      endsAt: at(3600).toISOString(),
      reason: 'firmware',
    });
    await status(fx, 'dev-e', 'down', 60);
    await status(fx, 'dev-e', 'up', 120);
    const stream = fx.alertStream(down('dev-e'));
    await expect
      .poll(() => types(fx, stream), poll)
      .toEqual(['AlertRaised', 'AlertSuppressed', 'AlertResolved']);
    expect((await fx.events(stream))[1]!.data).toMatchObject({ reason: 'maintenance' });
  });

  it('suppresses alerts of a child cut off by its down parent, and still resolves them', async () => {
    await fx.register('core-f');
    await fx.register('edge-f', { parentId: 'core-f' });
    await status(fx, 'core-f', 'down', 60);
    await status(fx, 'edge-f', 'unreachable', 90);
    await status(fx, 'edge-f', 'up', 120);
    await expect.poll(() => types(fx, fx.alertStream(down('core-f'))), poll).toEqual(['AlertRaised']);
    const child = fx.alertStream(down('edge-f'));
    await expect
      .poll(() => types(fx, child), poll)
      .toEqual(['AlertRaised', 'AlertSuppressed', 'AlertResolved']);
    expect((await fx.events(child))[1]!.data).toMatchObject({ reason: 'parent-down' });
  });

  it('always delivers the recovery of a notified alert, even once the device is in maintenance', async () => {
    await fx.register('dev-g');
    await status(fx, 'dev-g', 'down', 60);
    const stream = fx.alertStream(down('dev-g'));
    await expect.poll(() => types(fx, stream), poll).toEqual(['AlertRaised']);
    const alertId = ((await fx.events(stream))[0]!.data as { alertId: string }).alertId;
    const notify: AlertCommand = {
      type: 'RecordNotification',
      data: {
        alertId,
        notificationId: 'n-1',
        channel: 'email',
        target: 'noc@example.test',
        kind: 'raised',
        attempt: 1,
        outcome: { sent: true },
      },
      metadata: {
        commandId: randomUUID(),
        now: at(61),
        organizationId: ORG,
        actor: { kind: 'system', id: 'notifier' },
      },
    };
    await handleCommand(fx.store, alertDecider, stream, notify);
    await fx.command('ScheduleMaintenance', {
      deviceId: 'dev-g',
      windowId: 'mw-g',
      startsAt: at(90).toISOString(),
      endsAt: at(3600).toISOString(),
      reason: 'emergency fix',
    });
    await status(fx, 'dev-g', 'up', 120);
    await expect
      .poll(() => types(fx, stream), poll)
      .toEqual(['AlertRaised', 'NotificationSent', 'AlertResolved']);
    const { state } = await fx.store.aggregateStream(stream, alertDecider);
    expect(state.status === 'resolved' && state.instance.notified).toBe(true);
  });

  it('resolves device-down when a device comes back degraded, and raises device-degraded', async () => {
    await fx.register('dev-h');
    await status(fx, 'dev-h', 'down', 60);
    await status(fx, 'dev-h', 'degraded', 120);
    await expect
      .poll(() => types(fx, fx.alertStream(down('dev-h'))), poll)
      .toEqual(['AlertRaised', 'AlertResolved']);
    await expect
      .poll(
        () => types(fx, fx.alertStream({ deviceId: 'dev-h', condition: deviceConditions.degraded })),
        poll,
      )
      .toEqual(['AlertRaised']);
  });
});

describe.skipIf(!postgres.available)('escalation', () => {
  let fx: Fixture;
  const clock = new ManualClock(Date.parse(at(0).toISOString()));
  const reactor = createAlertingReactor({
    escalation: EscalationPolicy.parse({ delaysMinutes: [15, 30] }),
    sweepIntervalMs: 25,
  });

  beforeAll(async () => {
    fx = await openFixture();
    fx.run(reactor, { clock });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('escalates an unacknowledged alert level by level as the injected clock passes the delays', async () => {
    await fx.register('dev-x');
    await fx.register('dev-y');
    await status(fx, 'dev-x', 'down', 0);
    await status(fx, 'dev-y', 'down', 0);
    const x = fx.alertStream(down('dev-x'));
    const y = fx.alertStream(down('dev-y'));
    await expect.poll(() => types(fx, y), poll).toEqual(['AlertRaised']);
    const alertY = ((await fx.events(y))[0]!.data as { alertId: string }).alertId;
    await handleCommand(fx.store, alertDecider, y, {
      type: 'AcknowledgeAlert',
      data: { alertId: alertY, note: 'on it' },
      metadata: {
        commandId: randomUUID(),
        now: at(60),
        organizationId: ORG,
        actor: { kind: 'user', id: 'op' },
      },
    });

    clock.advance(14 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await types(fx, x)).toEqual(['AlertRaised']);

    clock.advance(60_000);
    await expect.poll(() => types(fx, x), poll).toEqual(['AlertRaised', 'AlertEscalated']);
    clock.advance(16 * 60_000);
    await expect.poll(() => types(fx, x), poll).toEqual(['AlertRaised', 'AlertEscalated', 'AlertEscalated']);
    const levels = (await fx.events(x)).slice(1).map((event) => (event.data as { level: number }).level);
    expect(levels).toEqual([1, 2]);
    // Further sweeps change nothing; the acknowledged alert never escalated.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await types(fx, x)).toHaveLength(3);
    expect(await types(fx, y)).toEqual(['AlertRaised', 'AlertAcknowledged']);
  });
});
