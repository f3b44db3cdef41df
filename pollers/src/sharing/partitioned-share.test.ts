import { describe, expect, it } from 'vitest';
import { partitionOf } from './device-partition.js';
import { ownsNothing, PartitionedFleetShare } from './partitioned-share.js';

const devices = Array.from({ length: 500 }, (_, i) => `device-${i}`);

describe('PartitionedFleetShare', () => {
  it('owns nothing until the group assigns partitions', () => {
    const share = new PartitionedFleetShare();
    expect(devices.some((id) => share.owns(id))).toBe(false);
  });

  it('owns exactly the devices that hash into its partitions', () => {
    const share = new PartitionedFleetShare();
    share.set({ kind: 'partitions', partitionCount: 12, partitions: [1, 4, 7] });
    for (const id of devices) expect(share.owns(id)).toBe([1, 4, 7].includes(partitionOf(id, 12)));
  });

  it('gives every device to exactly one member when the assignment covers every partition once', () => {
    const members = [
      [0, 3, 6, 9],
      [1, 4, 7, 10],
      [2, 5, 8, 11],
    ].map((partitions) => {
      const share = new PartitionedFleetShare();
      share.set({ kind: 'partitions', partitionCount: 12, partitions });
      return share;
    });
    for (const id of devices) expect(members.filter((share) => share.owns(id))).toHaveLength(1);
  });

  it('tells listeners about a change, and only about a change', () => {
    const share = new PartitionedFleetShare(ownsNothing(12));
    let calls = 0;
    const stop = share.onChange(() => {
      calls += 1;
    });
    expect(share.set({ kind: 'partitions', partitionCount: 12, partitions: [2, 1] })).toBe(true);
    expect(share.set({ kind: 'partitions', partitionCount: 12, partitions: [1, 2, 2] })).toBe(false);
    expect(share.ownership).toEqual({ kind: 'partitions', partitionCount: 12, partitions: [1, 2] });
    expect(share.set({ kind: 'all' })).toBe(true);
    expect(share.set({ kind: 'all' })).toBe(false);
    expect(devices.every((id) => share.owns(id))).toBe(true);
    expect(calls).toBe(2);
    stop();
    share.set(ownsNothing(12));
    expect(calls).toBe(2);
  });

  it('runs every listener even when one throws, then reports the failure', () => {
    const share = new PartitionedFleetShare();
    let second = false;
    share.onChange(() => {
      throw new Error('listener broke');
    });
    share.onChange(() => {
      second = true;
    });
    expect(() => share.set({ kind: 'all' })).toThrow('listener broke');
    expect(second).toBe(true);
    expect(share.ownership).toEqual({ kind: 'all' });
  });

  it('refuses partitions the topic does not have, keeping what it owned', () => {
    const share = new PartitionedFleetShare();
    share.set({ kind: 'partitions', partitionCount: 12, partitions: [3] });
    expect(() => share.set({ kind: 'partitions', partitionCount: 12, partitions: [12] })).toThrow(RangeError);
    expect(() => share.set({ kind: 'partitions', partitionCount: 0, partitions: [] })).toThrow(RangeError);
    expect(share.ownership).toEqual({ kind: 'partitions', partitionCount: 12, partitions: [3] });
  });
});
