import { silentReactorLogger } from '@netpulse/commands';
import { systemClock } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reactorConfigFromEnv } from './reactor-config.js';
import { type ReactorRole, startReactorRole } from './start-reactor-role.js';
import { type Fixture, openFixture } from './testing/reactor-fixture.js';

const postgres = await detectPostgres();
const poll = { timeout: 20_000, interval: 50 };

describe.skipIf(!postgres.available)('reactor role', () => {
  let fx: Fixture;
  const roles: ReactorRole[] = [];
  const registry = new Registry();
  const start = async () => {
    const role = await startReactorRole({
      store: fx.store,
      connectionString: fx.connectionString,
      schema: fx.schema,
      logger: silentReactorLogger,
      registry,
      clock: systemClock,
      config: reactorConfigFromEnv({ NETPULSE_REACTOR_STANDBY_RETRY_SECONDS: '0.05' }),
    });
    roles.push(role);
    return role;
  };

  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(async () => {
    for (const role of roles) await role.stop();
    await fx?.close();
  });

  it('runs each reactor in one instance only; a standby takes over when the active one stops', async () => {
    const first = await start();
    const second = await start();
    const activeCount = (name: string) =>
      [first, second].filter((role) => role.status()[name] === 'active').length;
    await expect.poll(() => activeCount('health-reactor'), poll).toBe(1);
    await expect.poll(() => activeCount('alerting-reactor'), poll).toBe(1);
    // Both tried; neither flips over while both hold on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(activeCount('health-reactor')).toBe(1);
    expect(activeCount('alerting-reactor')).toBe(1);

    const active = first.status()['health-reactor'] === 'active' ? first : second;
    const standby = active === first ? second : first;
    await active.stop();
    await expect.poll(() => standby.status()['health-reactor'], poll).toBe('active');
    await expect.poll(() => standby.status()['alerting-reactor'], poll).toBe('active');

    // The survivor does the work: observations → status → alert.
    await fx.register('role-dev');
    await fx.observe('role-dev', ['ok', 'fail', 'fail', 'fail']);
    await expect.poll(() => fx.statuses('role-dev'), poll).toEqual(['up', 'down']);
    const alerts = fx.alertStream({ deviceId: 'role-dev', condition: 'device-down' });
    await expect
      .poll(async () => (await fx.events(alerts)).map((event) => event.type), poll)
      .toEqual(['AlertRaised']);
    // The reactor counts a command once its append has returned, which can be a moment after the
    // event is visible to the poll above.
    await expect
      .poll(() => registry.metrics(), poll)
      .toMatch(
        /netpulse_reactor_commands_total\{reactor="alerting-reactor",command="RaiseAlert",outcome="appended"\} 1/,
      );
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/netpulse_reactor_events_handled_total\{reactor="health-reactor"\} \d+/);
    expect(metrics).toContain('netpulse_reactor_checkpoint_lag_seconds');
  });
});

describe('reactor configuration', () => {
  it('reads thresholds and escalation delays from the environment', () => {
    const config = reactorConfigFromEnv({
      NETPULSE_HEALTH_FAILURES_DOWN: '5',
      NETPULSE_HEALTH_LOSS_DEGRADED_PCT: '10',
      NETPULSE_HEALTH_RTT_DEGRADED_MS: '250',
      NETPULSE_ESCALATION_DELAYS_MINUTES: '10, 20,60',
      NETPULSE_ESCALATION_SWEEP_SECONDS: '15',
    });
    expect(config.health).toMatchObject({ failuresToDown: 5, lossDegradedPct: 10, rttDegradedMs: 250 });
    expect(config.escalation.delaysMinutes).toEqual([10, 20, 60]);
    expect(config.escalationSweepMs).toBe(15_000);
    expect(config.batchSize).toBe(500);
  });

  it('takes defaults from an empty environment and rejects nonsense by name', () => {
    expect(reactorConfigFromEnv({}).health.failuresToDown).toBe(3);
    expect(() => reactorConfigFromEnv({ NETPULSE_ESCALATION_DELAYS_MINUTES: '30,15' })).toThrow(
      /delaysMinutes/,
    );
    expect(() => reactorConfigFromEnv({ NETPULSE_HEALTH_FAILURES_DOWN: 'many' })).toThrow(
      /NETPULSE_HEALTH_FAILURES_DOWN/,
    );
  });
});
