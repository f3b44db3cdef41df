import { partitionOf } from './device-partition.js';
import type { FleetShare } from './fleet-share.js';

/**
 * What a replicated poller owns: every device (the fallback while no group is reachable) or the
 * devices hashing into the partitions assigned to it. Every replica must hash with the same
 * `partitionCount` (the topic's), or two of them could claim one device.
 */
export type Ownership =
  | Readonly<{ kind: 'all' }>
  | Readonly<{ kind: 'partitions'; partitionCount: number; partitions: readonly number[] }>;

export const ownsNothing = (partitionCount: number): Ownership => ({
  kind: 'partitions',
  partitionCount,
  partitions: [],
});

const validate = (ownership: Ownership): void => {
  if (ownership.kind === 'all') return;
  const { partitionCount, partitions } = ownership;
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partition count must be a positive integer, got ${partitionCount}`);
  }
  for (const partition of partitions) {
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount) {
      throw new RangeError(`partition ${partition} is outside 0..${partitionCount - 1}`);
    }
  }
};

const same = (a: Ownership, b: Ownership): boolean => {
  if (a.kind === 'all' || b.kind === 'all') return a.kind === b.kind;
  if (a.partitionCount !== b.partitionCount) return false;
  const left = new Set(a.partitions);
  const right = new Set(b.partitions);
  return left.size === right.size && [...left].every((partition) => right.has(partition));
};

/** A FleetShare whose ownership the group membership adapter sets; pure state, no I/O. */
export class PartitionedFleetShare implements FleetShare {
  #ownership: Ownership;
  #owned: ReadonlySet<number>;
  readonly #listeners = new Set<() => void>();

  /** Starts owning nothing: probing every device until the group answers would double the work. */
  constructor(initial: Ownership = ownsNothing(1)) {
    validate(initial);
    this.#ownership = initial;
    this.#owned = initial.kind === 'all' ? new Set() : new Set(initial.partitions);
  }

  get ownership(): Ownership {
    return this.#ownership;
  }

  owns(deviceId: string): boolean {
    const ownership = this.#ownership;
    if (ownership.kind === 'all') return true;
    if (this.#owned.size === 0) return false;
    return this.#owned.has(partitionOf(deviceId, ownership.partitionCount));
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the ownership; listeners run only when it differs. Returns whether it did. */
  set(next: Ownership): boolean {
    validate(next);
    if (same(this.#ownership, next)) return false;
    this.#ownership =
      next.kind === 'all'
        ? next
        : { ...next, partitions: [...new Set(next.partitions)].sort((a, b) => a - b) };
    this.#owned = next.kind === 'all' ? new Set() : new Set(next.partitions);
    // Every listener runs even if one throws; the first error is re-thrown to whoever changed it.
    let failure: unknown;
    let failed = false;
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
    if (failed) throw failure;
    return true;
  }
}
