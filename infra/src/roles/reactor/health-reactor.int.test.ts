import { createHealthReactor } from '@netpulse/commands';
import { HealthThresholds } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, type Fixture, openFixture } from './testing/reactor-fixture.js';

const postgres = await detectPostgres();
const poll = { timeout: 15_000, interval: 50 };

describe.skipIf(!postgres.available)('device health reactor on PostgreSQL', () => {
  let fx: Fixture;
  const reactor = createHealthReactor();

  beforeAll(async () => {
    fx = await openFixture();
    fx.run(reactor);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('turns observations into up, degraded and down with the default thresholds', async () => {
    await fx.register('dev-a');
    await fx.observe('dev-a', ['ok', 'slow', 'slow', 'fail', 'fail']);
    await expect.poll(() => fx.caughtUp(reactor), poll).toBe(true);
    // Two failures are not yet three.
    expect(await fx.statuses('dev-a')).toEqual(['up', 'degraded']);
    await fx.observe('dev-a', ['fail'], 150);
    await expect.poll(() => fx.statuses('dev-a'), poll).toEqual(['up', 'degraded', 'down']);
    const device = await fx.device('dev-a');
    expect(device.status === 'active' && device.statusChangedAt).toBe(at(150).toISOString());
  });

  it('damps flapping: a recovery waits for the hold after the last transition', async () => {
    await fx.register('dev-flap');
    await fx.observe('dev-flap', ['ok', 'fail', 'fail', 'fail']); // down at 90 s
    await fx.observe('dev-flap', ['ok', 'ok', 'ok'], 120); // 120..180 s: within 120 s of 90 s
    await expect.poll(() => fx.caughtUp(reactor), poll).toBe(true);
    expect(await fx.statuses('dev-flap')).toEqual(['up', 'down']);
    await fx.observe('dev-flap', ['ok'], 210); // 120 s after the outage began
    await expect.poll(() => fx.statuses('dev-flap'), poll).toEqual(['up', 'down', 'up']);
    const events = await fx.events('device-dev-flap');
    const recovered = events.at(-1)!;
    expect(recovered.data).toMatchObject({ from: 'down', to: 'up', changedAt: at(210).toISOString() });
    expect(recovered.metadata.actor).toEqual({ kind: 'system', id: 'health-reactor' });
  });

  it('makes a failing child of a down parent unreachable, and down again once the parent is back', async () => {
    await fx.register('core-1');
    await fx.register('edge-1', { parentId: 'core-1' });
    await fx.observe('core-1', ['ok', 'fail', 'fail', 'fail']);
    await fx.observe('edge-1', ['ok']);
    await expect.poll(() => fx.statuses('core-1'), poll).toEqual(['up', 'down']);
    await fx.observe('edge-1', ['fail', 'fail', 'fail'], 120);
    await expect.poll(() => fx.statuses('edge-1'), poll).toEqual(['up', 'unreachable']);
    const edge = (await fx.events('device-edge-1')).at(-1)!;
    expect((edge.data as { reason: string }).reason).toContain('parent is down');

    await fx.observe('core-1', ['ok', 'ok'], 300);
    await expect.poll(() => fx.statuses('core-1'), poll).toEqual(['up', 'down', 'up']);
    await fx.observe('edge-1', ['fail'], 400);
    await expect.poll(() => fx.statuses('edge-1'), poll).toEqual(['up', 'unreachable', 'down']);
  });

  it('skips a malformed observation and carries on', async () => {
    await fx.register('dev-m');
    await fx.appendRaw('observations-dev-m', 'DeviceObserved', { deviceId: 'dev-m', garbage: true });
    await fx.observe('dev-m', ['ok'], 30);
    await expect.poll(() => fx.statuses('dev-m'), poll).toEqual(['up']);
  });

  it('leaves paused devices alone', async () => {
    await fx.register('dev-p');
    await fx.command('PauseMonitoring', { deviceId: 'dev-p', reason: 'rack move' });
    await fx.observe('dev-p', ['fail', 'fail', 'fail']);
    await expect.poll(() => fx.caughtUp(reactor), poll).toBe(true);
    expect(await fx.statuses('dev-p')).toEqual([]);
  });
});

describe.skipIf(!postgres.available)('device health thresholds are configurable', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('goes down after one failure and degrades on 5 % loss when told so', async () => {
    const thresholds = HealthThresholds.parse({ failuresToDown: 1, lossDegradedPct: 5, samplesToDegrade: 1 });
    const reactor = createHealthReactor({ thresholds });
    fx.run(reactor);
    await fx.register('dev-s');
    await fx.observeLoss('dev-s', [0, 6]);
    await fx.observe('dev-s', ['fail'], 60);
    await expect.poll(() => fx.statuses('dev-s'), poll).toEqual(['up', 'degraded', 'down']);
  });
});
