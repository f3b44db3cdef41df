import { createHash } from 'node:crypto';
import type { EventMetadata, RecordedEvent, VerifyResult } from '@netpulse/domain';
import { canonicalJson } from './canonical-json.js';

/** The previous hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export type HashableEvent = Readonly<{
  id: string;
  streamId: string;
  streamVersion: bigint;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}>;

/**
 * The canonical JSON of everything that identifies an event: its id, stream, position, type, data
 * and metadata (without the hash fields). Keys in sorted order, as `canonicalJson` of that object
 * would write them; `dataJson` lets a caller that already has the canonical data reuse it.
 */
const hashInput = (event: HashableEvent, dataJson: string): string => {
  const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
  return `{"data":${dataJson},"id":${JSON.stringify(event.id)},"metadata":${canonicalJson(metadata)},"streamId":${JSON.stringify(event.streamId)},"streamVersion":"${event.streamVersion}","type":${JSON.stringify(event.type)}}`;
};

/**
 * SHA-256 over the previous hash and the event's canonical JSON. Changing, removing, reordering or
 * moving an event breaks the chain from that event on.
 */
export const eventHash = (
  previousHash: string,
  event: HashableEvent,
  dataJson = canonicalJson(event.data),
): string =>
  createHash('sha256').update(previousHash).update('\n').update(hashInput(event, dataJson)).digest('hex');

export type ChainedEvent<E extends HashableEvent> = E & {
  metadata: EventMetadata & { hash: string; previousHash: string };
  /** The data as canonical JSON, computed for the hash and reusable for storage. */
  dataJson: string;
};

/** Stamps `previousHash` and `hash` on events that will follow `previousHash` in their stream. */
export const chainEvents = <E extends HashableEvent>(
  previousHash: string,
  events: readonly E[],
): { events: ChainedEvent<E>[]; lastHash: string } => {
  let previous = previousHash;
  const chained = events.map((event) => {
    const dataJson = canonicalJson(event.data);
    const hash = eventHash(previous, event, dataJson);
    const stamped = { ...event, dataJson, metadata: { ...event.metadata, previousHash: previous, hash } };
    previous = hash;
    return stamped;
  });
  return { events: chained, lastHash: previous };
};

/**
 * Checks events of one stream in version order. The first event is trusted for its `previousHash`
 * only when it is not version 0 (older events may have expired by retention).
 */
export class ChainVerifier {
  private expectedPrevious: string | null = null;
  private expectedVersion: bigint | null = null;
  private checked = 0;
  private failure: { brokenAtVersion: bigint; reason: string } | null = null;

  constructor(private readonly streamId: string) {}

  add(events: readonly RecordedEvent[]): boolean {
    for (const event of events) {
      if (this.failure) return false;
      this.failure = this.check(event);
      if (!this.failure) this.checked += 1;
    }
    return this.failure === null;
  }

  result(): VerifyResult {
    return this.failure
      ? { ok: false, streamId: this.streamId, eventsChecked: this.checked, ...this.failure }
      : { ok: true, streamId: this.streamId, eventsChecked: this.checked };
  }

  private check(event: RecordedEvent): { brokenAtVersion: bigint; reason: string } | null {
    const at = event.streamVersion;
    if (this.expectedVersion !== null && at !== this.expectedVersion) {
      return { brokenAtVersion: at, reason: `expected version ${this.expectedVersion}, found ${at}` };
    }
    const first = this.expectedPrevious === null;
    const previous = first ? (at === 0n ? GENESIS_HASH : event.metadata.previousHash) : this.expectedPrevious;
    if (event.metadata.previousHash !== previous) {
      return { brokenAtVersion: at, reason: 'previous hash does not match the preceding event' };
    }
    const recomputed = eventHash(previous ?? GENESIS_HASH, event);
    if (recomputed !== event.metadata.hash) {
      return { brokenAtVersion: at, reason: 'event content does not match its hash' };
    }
    this.expectedPrevious = recomputed;
    this.expectedVersion = at + 1n;
    return null;
  }
}
