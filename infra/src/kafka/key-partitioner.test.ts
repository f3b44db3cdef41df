import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { rememberingKeyPartitioner } from './key-partitioner.js';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
  }));

describe('remembering key partitioner', () => {
  it('answers as the default partitioner, also when a topic gains partitions', () => {
    const remembering = rememberingKeyPartitioner(50)();
    const hashed = Partitioners.DefaultPartitioner();
    for (const partitions of [6, 6, 12]) {
      for (let i = 0; i < 200; i++) {
        const args = {
          topic: 't',
          partitionMetadata: metadata(partitions),
          message: { key: `dev-${i}`, value: 'v' },
        };
        expect(remembering(args)).toBe(hashed(args));
      }
    }
  });

  it('keeps an explicit partition', () => {
    const remembering = rememberingKeyPartitioner()();
    expect(
      remembering({
        topic: 't',
        partitionMetadata: metadata(6),
        message: { key: 'k', value: 'v', partition: 4 },
      }),
    ).toBe(4);
  });
});
