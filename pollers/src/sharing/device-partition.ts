/**
 * Device → partition: the same murmur2 hash (seed 0x9747b28c, sign bit masked) Kafka's default
 * partitioner applies to record keys, so a record keyed by device id lands in the partition whose
 * owner probes that device, whatever client wrote it.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

const encoder = new TextEncoder();

export const murmur2 = (data: Uint8Array): number => {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[whole + 2]! << 16;
    if (rest >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
};

export const partitionOf = (deviceId: string, partitionCount: number): number => {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partition count must be a positive integer, got ${partitionCount}`);
  }
  return (murmur2(encoder.encode(deviceId)) & 0x7fffffff) % partitionCount;
};
