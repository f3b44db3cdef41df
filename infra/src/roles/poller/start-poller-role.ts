import type { Clock, EventStore } from '@netpulse/domain';
import {
  createPoller,
  type Logger,
  ownsNothing,
  PartitionedFleetShare,
  type Poller,
  type PollerConfig,
  type PollerStatus,
} from '@netpulse/pollers';
import type { Registry } from 'prom-client';
import type { PollerGroupConfig } from '../../kafka/poller-group/poller-group-config.js';
import {
  joinPollerGroup,
  type PollerGroupMembership,
} from '../../kafka/poller-group/poller-group-membership.js';
import { withDemoCredential } from './demo-credential.js';

export type PollerRoleDeps = Readonly<{
  store: EventStore;
  /** Parsed poller configuration (`loadPollerConfig(process.env)` from @netpulse/pollers). */
  config: PollerConfig;
  /** A pino logger fits: only `(obj, msg)` calls are made. */
  logger: Logger;
  registry: Registry;
  clock: Clock;
  /** Replicated pollers: share the fleet through this Kafka consumer group. Absent: probe every device. */
  group?: PollerGroupConfig | null;
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
  const { group } = deps;
  const share = group ? new PartitionedFleetShare(ownsNothing(group.partitions)) : undefined;
  const poller: Poller = createPoller({
    store: deps.store,
    config: withDemoCredential(deps.config),
    logger: deps.logger,
    registry: deps.registry,
    clock: deps.clock,
    ...(share && { fleetShare: share }),
  });
  await poller.start();
  const membership: PollerGroupMembership | null =
    group && share
      ? joinPollerGroup({
          config: group,
          share,
          logger: deps.logger,
          registry: deps.registry,
          memberName: deps.config.pollerId,
        })
      : null;
  return {
    stop: async () => {
      // Leave the group first: the others take these devices over while this one drains.
      await membership?.stop();
      await poller.stop();
    },
    status: () => poller.status(),
  };
};
