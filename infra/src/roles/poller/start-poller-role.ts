import type { Clock, EventStore } from '@netpulse/domain';
import {
  createPoller,
  type Logger,
  type Poller,
  type PollerConfig,
  type PollerStatus,
} from '@netpulse/pollers';
import type { Registry } from 'prom-client';
import { withDemoCredential } from './demo-credential.js';

export type PollerRoleDeps = Readonly<{
  store: EventStore;
  /** Parsed poller configuration (`loadPollerConfig(process.env)` from @netpulse/pollers). */
  config: PollerConfig;
  /** A pino logger fits: only `(obj, msg)` calls are made. */
  logger: Logger;
  registry: Registry;
  clock: Clock;
}>;

export type PollerRole = Readonly<{
  stop(): Promise<void>;
  status(): PollerStatus;
}>;

/**
 * Starts the poller role: it follows device events in `store` and probes whatever is registered,
 * from the moment it starts. Resolves once the trap port is open (or its failure logged) and the
 * device subscription runs; `stop()` drains probes in flight and flushes what is buffered.
 */
export const startPollerRole = async (deps: PollerRoleDeps): Promise<PollerRole> => {
  const poller: Poller = createPoller({
    store: deps.store,
    config: withDemoCredential(deps.config),
    logger: deps.logger,
    registry: deps.registry,
    clock: deps.clock,
  });
  await poller.start();
  return { stop: () => poller.stop(), status: () => poller.status() };
};
