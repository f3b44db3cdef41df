import type { AppendExpectedRevision } from '@eventstore/db-client';
import type { AppendResult, Checkpoint, StreamAppend } from '@netpulse/domain';
import { chainEvents, GENESIS_HASH } from '../hash-chain.js';
import { expectationHolds, versionConflict, writeRevision } from './expected-version.js';
import type { ChainedEvent } from './mapping.js';

export type StoredRef = Readonly<{ streamVersion: bigint; checkpoint: Checkpoint }>;

/** What the adapter knows of a stream before appending to it. */
export type StreamHead = Readonly<{
  /** Revision of the stream's last event; null when the stream does not exist as far as known. */
  revision: bigint | null;
  /**
   * Hash of that last event while it is still readable; null when it is not (no stream yet, or every
   * event expired by `$maxAge`), in which case the chain of the next events starts from the genesis hash.
   */
  lastHash: string | null;
  /** Ids of the stream's most recent events (the idempotency window). */
  recent: ReadonlyMap<string, StoredRef>;
}>;

export const NO_HEAD: StreamHead = { revision: null, lastHash: null, recent: new Map() };

export type WritePlan = Readonly<{
  kind: 'write';
  streamId: string;
  expectedRevision: AppendExpectedRevision;
  events: readonly ChainedEvent[];
  /** Version of the last event written: the next expected version. */
  lastVersion: bigint;
  lastHash: string;
  /** The write creates the stream (version 0), when retention for new telemetry streams applies. */
  createsStream: boolean;
}>;

export type AppendPlan = Readonly<{ kind: 'stored'; result: AppendResult }> | WritePlan;

/**
 * Decides one append against a known head, like the PostgreSQL adapter: events whose ids are
 * already stored are not written again (all stored: an idempotent no-op answered with what was
 * stored, whatever the expectation); a partly stored batch may only be completed with `any`;
 * otherwise the caller's expectation must hold. Throws `VersionConflictError` when it does not.
 */
export const planAppend = (append: StreamAppend, head: StreamHead): AppendPlan => {
  const stored = append.events.map((event) => head.recent.get(event.id));
  const fresh = append.events.filter((_, i) => stored[i] === undefined);
  if (fresh.length === 0) {
    const refs = stored.filter((ref): ref is StoredRef => ref !== undefined);
    const last = refs.reduce((a, b) => (a.streamVersion >= b.streamVersion ? a : b));
    return {
      kind: 'stored',
      result: {
        streamId: append.streamId,
        nextExpectedVersion: last.streamVersion,
        appended: 0,
        checkpoint: last.checkpoint,
      },
    };
  }
  const partial = fresh.length < append.events.length;
  if (partial ? append.expectedVersion !== 'any' : !expectationHolds(append.expectedVersion, head.revision)) {
    throw versionConflict(append.streamId, append.expectedVersion, head.revision);
  }
  const first = head.revision === null ? 0n : head.revision + 1n;
  const { events, lastHash } = chainEvents(
    head.lastHash ?? GENESIS_HASH,
    fresh.map((event, i) => ({ ...event, streamId: append.streamId, streamVersion: first + BigInt(i) })),
  );
  return {
    kind: 'write',
    streamId: append.streamId,
    expectedRevision: writeRevision(append.expectedVersion, head.revision),
    events: events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
    lastVersion: first + BigInt(events.length - 1),
    lastHash,
    createsStream: head.revision === null,
  };
};

/** The head a later append of the same `appendMany` call sees once `plan` is written. */
export const headAfter = (head: StreamHead, plan: AppendPlan): StreamHead =>
  plan.kind === 'stored'
    ? head
    : { revision: plan.lastVersion, lastHash: plan.lastHash, recent: head.recent };
