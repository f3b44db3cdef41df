import type { Logger } from '@netpulse/pollers';
import type { Admin } from 'kafkajs';
import type { PollerGroupConfig } from './poller-group-config.js';

/**
 * Creates the poll-targets topic when missing and returns its partition count, which every poller
 * hashes devices with. The topic carries no records: its partitions are only the units the group
 * assigns. It is compacted so that anything ever keyed onto it by device stays one record per device.
 */
export const ensurePollTargetsTopic = async (
  admin: Admin,
  config: PollerGroupConfig,
  logger: Logger,
): Promise<number> => {
  const { brokers } = await admin.describeCluster();
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: config.topic,
        numPartitions: config.partitions,
        // A partition without a leader makes its owner's fetches fail and the group churn.
        replicationFactor: Math.min(3, Math.max(1, brokers.length)),
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
  const partitions = await topicPartitionCount(admin, config.topic);
  if (created) logger.info({ topic: config.topic, partitions }, 'poller group: poll-targets topic created');
  else if (partitions !== config.partitions) {
    logger.warn(
      { topic: config.topic, partitions, configured: config.partitions },
      'poller group: the poll-targets topic exists with another partition count; using the topic’s',
    );
  }
  return partitions;
};

export const topicPartitionCount = async (admin: Admin, topic: string): Promise<number> => {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const count = topics.find((entry) => entry.name === topic)?.partitions.length ?? 0;
  if (count < 1) throw new Error(`topic ${topic} has no partitions`);
  return count;
};
