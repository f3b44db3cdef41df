import type { ReactorMetrics } from '@netpulse/commands';
import { Counter, Gauge, type Registry } from 'prom-client';

const counter = <L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
) =>
  (registry.getSingleMetric(name) as Counter<L> | undefined) ??
  new Counter<L>({ name, help, labelNames, registers: [registry] });

const gauge = <L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]) =>
  (registry.getSingleMetric(name) as Gauge<L> | undefined) ??
  new Gauge<L>({ name, help, labelNames, registers: [registry] });

/** Reactor metrics in prom-client, registered once per registry. */
export const createReactorMetrics = (registry: Registry): ReactorMetrics => {
  const handled = counter(registry, 'netpulse_reactor_events_handled_total', 'Events handled by reactors', [
    'reactor',
  ]);
  const skipped = counter(
    registry,
    'netpulse_reactor_events_skipped_total',
    'Events reactors could not understand and skipped',
    ['reactor', 'reason'],
  );
  const commands = counter(
    registry,
    'netpulse_reactor_commands_total',
    'Commands sent by reactors, by outcome',
    ['reactor', 'command', 'outcome'],
  );
  const lag = gauge(
    registry,
    'netpulse_reactor_checkpoint_lag_seconds',
    'Age of the newest event when its batch was checkpointed',
    ['reactor'],
  );
  const failures = counter(registry, 'netpulse_reactor_failures_total', 'Reactor failures (retried)', [
    'reactor',
    'kind',
  ]);
  const active = gauge(registry, 'netpulse_reactor_active', '1 when this instance runs the reactor', [
    'reactor',
  ]);
  return {
    eventsHandled: (reactor, count) => handled.inc({ reactor }, count),
    eventsSkipped: (reactor, reason, count) => skipped.inc({ reactor, reason }, count),
    commandSent: (reactor, command, outcome) => commands.inc({ reactor, command, outcome }),
    checkpointLag: (reactor, seconds) => lag.set({ reactor }, seconds),
    failure: (reactor, kind) => failures.inc({ reactor, kind }),
    active: (reactor, isActive) => active.set({ reactor }, isActive ? 1 : 0),
  };
};
