import { randomUUID } from 'node:crypto';
import { partitionOf } from '@netpulse/pollers';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';

describe('device → partition agrees with Kafka’s default partitioner', () => {
  it('puts a record keyed by device id into the partition whose owner probes that device', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    for (const count of [1, 3, 12, 50]) {
      const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
        partitionId,
        leader: 1,
        replicas: [1],
        isr: [1],
        partitionErrorCode: 0,
      }));
      for (const deviceId of ['core-sw-1', 'édge-rtr', ...Array.from({ length: 200 }, () => randomUUID())]) {
        const kafkaPartition = partitioner({
          topic: 'netpulse.poll-targets',
          partitionMetadata,
          message: { key: deviceId, value: null },
        });
        expect(partitionOf(deviceId, count), deviceId).toBe(kafkaPartition);
      }
    }
  });
});
