import {
  type CheckpointStore,
  type CommandSender,
  createAlertingReactor,
  createHealthReactor,
  type Reactor,
  type ReactorRunner,
} from '@netpulse/commands';
import { HealthThresholds } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, openFixture } from './testing/reactor-fixture.js';

const postgres = await detectPostgres();
const poll = { timeout: 20_000, interval: 50 };

const DEVICES = ['crash-1', 'crash-2', 'crash-3', 'crash-4', 'crash-5'];
const LATER = ['late-1', 'late-2', 'late-3', 'late-4', 'late-5'];
/**
 * Up at 0 s, degraded at 90 s, down at 180 s, up at 240 s, degraded at 300 s (no flap hold). The
 * device ends in a state it had before, so a replay judging old observations on today's state would
 * decide differently (the answer at 30 s would look like a recovery): the guards must see that.
 */
const SCRIPT = ['ok', 'ok', 'slow', 'slow', 'fail', 'fail', 'fail', 'ok', 'ok', 'slow', 'slow'] as const;
const EXPECTED_STATUSES = ['up', 'degraded', 'down', 'up', 'degraded'];
const EXPECTED_DOWN_ALERTS = ['AlertRaised', 'AlertResolved'];
const EXPECTED_DEGRADED_ALERTS = ['AlertRaised', 'AlertResolved', 'AlertRaised'];
const thresholds = HealthThresholds.parse({ flapHoldSeconds: 0 });
const strictHealthReactor = (options: { batchSize?: number } = {}) =>
  createHealthReactor({ thresholds, ...options });

/**
 * Every decision the reactors made (device and alert streams), read from the table itself: readAll
 * may hide fresh commits while another session's transaction holds the snapshot horizon back.
 */
const decisions = async (fx: Fixture): Promise<Array<{ id: string; stream: string; type: string }>> =>
  (
    await fx.pool.query<{ id: string; stream: string; type: string }>(
      `select event_id::text as id, stream_id as stream, type from "${fx.schema}".events
       where category in ('device', 'alert') order by global_position`,
    )
  ).rows;

const assertExactlyOnce = async (fx: Fixture, devices: readonly string[] = DEVICES) => {
  for (const deviceId of devices) {
    expect(await fx.statuses(deviceId)).toEqual(EXPECTED_STATUSES);
    const down = await fx.events(fx.alertStream({ deviceId, condition: 'device-down' }));
    expect(down.map((event) => event.type)).toEqual(EXPECTED_DOWN_ALERTS);
    const degraded = await fx.events(fx.alertStream({ deviceId, condition: 'device-degraded' }));
    expect(degraded.map((event) => event.type)).toEqual(EXPECTED_DEGRADED_ALERTS);
  }
  const all = await decisions(fx);
  expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
};

/** Sends normally, but throws once right after the `crashAfter`-th command was appended. */
const crashingSend = (crashAfter: number) => {
  let sent = 0;
  let crashed = false;
  return {
    wrap:
      (send: CommandSender): CommandSender =>
      async (request) => {
        const result = await send(request);
        if (!crashed && ++sent >= crashAfter) {
          crashed = true;
          throw new Error('simulated crash after an append, before the batch finished');
        }
        return result;
      },
    crashed: () => crashed,
  };
};

const withSend = (reactor: Reactor, wrap: (send: CommandSender) => CommandSender): Reactor => ({
  ...reactor,
  handle: (events, context) => reactor.handle(events, { ...context, send: wrap(context.send) }),
});

describe.skipIf(!postgres.available)('reactors crashing mid-batch', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture();
    for (const deviceId of DEVICES) await fx.register(deviceId);
    for (const deviceId of DEVICES) await fx.observe(deviceId, SCRIPT);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('a handler that fails after part of its batch is retried: nothing lost, nothing doubled', async () => {
    const health = crashingSend(4);
    const alerting = crashingSend(3);
    const healthReactor = strictHealthReactor({ batchSize: 1000 });
    const alertingReactor = createAlertingReactor();
    const runners = [
      fx.run(withSend(healthReactor, health.wrap)),
      fx.run(withSend(alertingReactor, alerting.wrap)),
    ];
    await expect.poll(() => fx.caughtUp(healthReactor), poll).toBe(true);
    await expect.poll(() => fx.caughtUp(alertingReactor), poll).toBe(true);
    await Promise.all(runners.map((runner) => runner.stop()));
    expect(health.crashed() && alerting.crashed()).toBe(true);
    await assertExactlyOnce(fx);
  });

  /** Runs `reactor` until its first batch's commands are appended, then kills it before the checkpoint. */
  const runUntilKilled = async (reactor: Reactor) => {
    let dying: ReactorRunner | null = null;
    let died = false;
    const killedBeforeSave: CheckpointStore = {
      load: (name) => fx.checkpoints.load(name),
      save: async () => {
        died = true;
        void dying?.stop();
        throw new Error('process killed before storing the checkpoint');
      },
    };
    dying = fx.run(reactor, { checkpoints: killedBeforeSave });
    await expect.poll(() => died, poll).toBe(true);
    await dying.stop();
  };

  it('an instance killed between its appends and its checkpoint is replaced without doubles', async () => {
    const before = (await decisions(fx)).length;
    for (const deviceId of LATER) await fx.register(deviceId);
    for (const deviceId of LATER) await fx.observe(deviceId, SCRIPT);
    const afterRegistration = (await decisions(fx)).length;
    expect(afterRegistration).toBe(before + LATER.length);

    // Small batches so the killed instance has decided part of the new work, not all of it.
    await runUntilKilled(strictHealthReactor({ batchSize: 10 }));
    const decidedByTheDead = (await decisions(fx)).length - afterRegistration;
    expect(decidedByTheDead).toBeGreaterThan(0);
    const health = strictHealthReactor();
    const healthRunner = fx.run(health);
    await expect.poll(() => fx.caughtUp(health), poll).toBe(true);

    await runUntilKilled(createAlertingReactor({ batchSize: 4 }));
    const alerting = createAlertingReactor();
    const alertingRunner = fx.run(alerting);
    await expect.poll(() => fx.caughtUp(alerting), poll).toBe(true);
    await Promise.all([healthRunner.stop(), alertingRunner.stop()]);
    await assertExactlyOnce(fx, [...DEVICES, ...LATER]);
  });

  it('a replay of everything from START decides nothing new', async () => {
    const before = (await decisions(fx)).length;
    await fx.checkpoints.reset('health-reactor');
    await fx.checkpoints.reset('alerting-reactor');
    const health = strictHealthReactor({ batchSize: 3 });
    const alerting = createAlertingReactor({ batchSize: 3 });
    fx.run(health);
    fx.run(alerting);
    await expect.poll(() => fx.caughtUp(health), poll).toBe(true);
    await expect.poll(() => fx.caughtUp(alerting), poll).toBe(true);
    expect((await decisions(fx)).length).toBe(before);
    await assertExactlyOnce(fx, [...DEVICES, ...LATER]);
  });
});
