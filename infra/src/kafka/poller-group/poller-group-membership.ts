import type { Logger, Ownership, PartitionedFleetShare } from '@netpulse/pollers';
import { type Admin, type Consumer, Kafka, logLevel, PartitionAssigners } from 'kafkajs';
import type { Registry } from 'prom-client';
import { pollerGroupLogCreator } from './kafkajs-logs.js';
import { ensurePollTargetsTopic, topicPartitionCount } from './poll-targets-topic.js';
import { heartbeatIntervalMs, type PollerGroupConfig } from './poller-group-config.js';
import { createPollerGroupMetrics } from './poller-group-metrics.js';
import { stickyAssigner } from './sticky-assigner.js';

export type PollerGroupDeps = Readonly<{
  config: PollerGroupConfig;
  /** Set here from the group's assignments; the poller reads it. */
  share: PartitionedFleetShare;
  logger: Logger;
  registry: Registry;
  /** The poller id: part of the Kafka client id, so the group's description names each member. */
  memberName: string;
}>;

export type PollerGroupMembership = Readonly<{ stop(): Promise<void> }>;

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** Longest a fetch of an empty partition blocks: heartbeats (and so rebalance news) wait on it. */
const MAX_FETCH_WAIT_MS = 1_000;

const summary = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'NonError', message: String(error) };

/**
 * Joins the pollers' consumer group on the poll-targets topic and keeps `share` equal to the
 * partitions the group assigns this process. Kafka being down is never fatal: the consumer is
 * rebuilt with back-off forever, and the last assignment stays in force meanwhile (a rebalance is
 * only believed once its new assignment arrives, so no device goes unprobed in between). Returns at
 * once; joining happens in the background.
 */
export const joinPollerGroup = (deps: PollerGroupDeps): PollerGroupMembership => {
  const { config, share, logger } = deps;
  const metrics = createPollerGroupMetrics(deps.registry);
  const heartbeatInterval = heartbeatIntervalMs(config);
  const kafka = new Kafka({
    clientId: `${config.clientId}.${deps.memberName}`,
    brokers: [...config.brokers],
    // Warnings and errors only: joins, crashes and retries are logged by this module in its own words.
    logLevel: logLevel.WARN,
    logCreator: pollerGroupLogCreator(logger),
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
  });
  const group = { groupId: config.groupId, topic: config.topic };

  let stopped = false;
  let admin: Admin | null = null;
  let consumer: Consumer | null = null;
  let partitionCount = config.partitions;
  let assignedOnce = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let assignments: Promise<void> = Promise.resolve();

  const applyOwnership = (ownership: Ownership) => {
    try {
      share.set(ownership);
    } catch (error) {
      // A failing listener is the poller's bug; the ownership itself was taken over.
      logger.error({ ...group, err: summary(error) }, 'poller group: applying the new share failed');
    }
    metrics.ownedPartitions.set(ownership.kind === 'all' ? -1 : ownership.partitions.length);
  };

  metrics.joined.set(0);
  metrics.ownedPartitions.set(0);
  // Probing nothing while Kafka is unreachable at start-up would leave the fleet unmonitored; probing
  // everything twice (on each replica) is the lesser evil until the group answers.
  const fallbackTimer =
    config.unassignedFallbackMs > 0
      ? setTimeout(() => {
          if (assignedOnce || stopped) return;
          logger.warn(
            { ...group, waitedMs: config.unassignedFallbackMs },
            'poller group: no assignment yet; probing every device until the group assigns partitions',
          );
          applyOwnership({ kind: 'all' });
        }, config.unassignedFallbackMs)
      : null;

  const onAssigned = async (partitions: readonly number[]) => {
    assignedOnce = true;
    failures = 0;
    metrics.rebalances.inc();
    metrics.joined.set(1);
    try {
      // Re-read at every rebalance so all members of one generation hash with the same count.
      if (admin) partitionCount = await topicPartitionCount(admin, config.topic);
    } catch (error) {
      logger.warn(
        { ...group, err: summary(error) },
        'poller group: partition count not refreshed; using the last',
      );
    }
    const unknown = partitions.filter((partition) => partition >= partitionCount);
    if (unknown.length > 0) {
      logger.error(
        { ...group, partitions, partitionCount },
        'poller group: assigned partitions the topic metadata does not show; keeping the previous share',
      );
      return;
    }
    applyOwnership({ kind: 'partitions', partitionCount, partitions });
    logger.info({ ...group, partitions, partitionCount }, 'poller group: partitions assigned');
  };

  const teardown = async () => {
    const [c, a] = [consumer, admin];
    consumer = null;
    admin = null;
    metrics.joined.set(0);
    await Promise.allSettled([c?.disconnect(), a?.disconnect()]);
  };

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(failures, 5));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      const a = kafka.admin();
      admin = a;
      await a.connect();
      partitionCount = await ensurePollTargetsTopic(a, config, logger);
      if (stopped) {
        await a.disconnect();
        return;
      }
      const c = kafka.consumer({
        groupId: config.groupId,
        sessionTimeout: config.sessionTimeoutMs,
        rebalanceTimeout: 2 * config.sessionTimeoutMs,
        heartbeatInterval,
        maxWaitTimeInMs: Math.min(MAX_FETCH_WAIT_MS, heartbeatInterval),
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
        // Partitions stay with their poller across rebalances where they can; round robin only
        // while some member does not offer it.
        partitionAssigners: [
          stickyAssigner(() => {
            const ownership = share.ownership;
            return ownership.kind === 'partitions' ? { [config.topic]: [...ownership.partitions] } : {};
          }),
          PartitionAssigners.roundRobin,
        ],
      });
      consumer = c;
      c.on(c.events.GROUP_JOIN, ({ payload }) => {
        const partitions = payload.memberAssignment[config.topic] ?? [];
        assignments = assignments.then(() => onAssigned(partitions));
      });
      c.on(c.events.REBALANCING, () =>
        logger.debug(
          group,
          'poller group: rebalancing; the current share is probed until the new one arrives',
        ),
      );
      c.on(c.events.CRASH, ({ payload }) => {
        metrics.joined.set(0);
        logger.warn(
          { ...group, err: summary(payload.error), restarting: payload.restart },
          'poller group: consumer failed; the last share is probed meanwhile',
        );
        // kafkajs restarts a consumer after a retriable failure itself; anything else is rebuilt here.
        if (!payload.restart && consumer === c) {
          failures += 1;
          void teardown().then(scheduleReconnect);
        }
      });
      const steps = [
        () => c.connect(),
        () => c.subscribe({ topics: [config.topic], fromBeginning: false }),
        // Nothing is ever produced here: membership, not the records, is what the poller needs.
        () => c.run({ eachMessage: async () => {} }),
      ];
      for (const step of steps) {
        await step();
        // stop() may come while a step is in flight; the next step must not undo it.
        if (stopped) {
          await c.disconnect();
          return;
        }
      }
      logger.info(
        { ...group, partitionCount, sessionTimeoutMs: config.sessionTimeoutMs },
        'poller group: consumer started',
      );
    } catch (error) {
      failures += 1;
      if (stopped) return;
      logger.warn(
        { ...group, err: summary(error), failures },
        'poller group: Kafka unreachable; retrying, the last share is probed meanwhile',
      );
      await teardown();
      scheduleReconnect();
    }
  };

  void connect();

  return {
    stop: async () => {
      stopped = true;
      if (fallbackTimer) clearTimeout(fallbackTimer);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      // Leaving the group (inside disconnect) lets the others take these devices over at once.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        teardown(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      await assignments;
    },
  };
};
