import { type ICustomPartitioner, Partitioners } from 'kafkajs';

/**
 * kafkajs's default partitioner (murmur2 of the key, as the Java client), remembered per key. The
 * default one filters the partition list and hashes a fresh buffer of the key for every message;
 * the integration stream has one key per device, so after the first batch this is a map lookup.
 * The answer for a key depends only on the key and the topic's partition count, so a remembered
 * one is exact; the memory is per topic, dropped when the count changes, and bounded.
 */
export const rememberingKeyPartitioner =
  (capacity = 200_000): ICustomPartitioner =>
  () => {
    const hashed = Partitioners.DefaultPartitioner();
    const topics = new Map<string, { partitions: number; byKey: Map<string, number> }>();
    return (args) => {
      const { topic, partitionMetadata, message } = args;
      const key = message.key;
      if (typeof key !== 'string' || (message.partition !== undefined && message.partition !== null)) {
        return hashed(args);
      }
      let memory = topics.get(topic);
      if (!memory || memory.partitions !== partitionMetadata.length) {
        memory = { partitions: partitionMetadata.length, byKey: new Map() };
        topics.set(topic, memory);
      }
      let partition = memory.byKey.get(key);
      if (partition === undefined) {
        partition = hashed(args);
        if (memory.byKey.size >= capacity) memory.byKey.clear();
        memory.byKey.set(key, partition);
      }
      return partition;
    };
  };
