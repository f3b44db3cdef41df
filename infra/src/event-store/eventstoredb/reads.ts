import { BACKWARDS, END, FORWARDS, metastreamOf, NO_STREAM, type ReadRevision } from '@eventstore/db-client';
import {
  type Checkpoint,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  validationFailed,
} from '@netpulse/domain';
import type { EsdbClient } from './client.js';
import { fromEsdbRevision, isStreamNotFound, isWrongExpectedVersion } from './expected-version.js';
import { type EsdbRecorded, toRecordedEvent } from './mapping.js';
import { NO_HEAD, type StoredRef, type StreamHead } from './plan.js';

export const MAX_LIMIT = 10_000;

export const boundedLimit = (limit: number | undefined, fallback: number): number => {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw validationFailed(`limit must be a positive integer, got ${value}`);
  }
  return Math.min(value, MAX_LIMIT);
};

type Visit = (event: EsdbRecorded) => 'take' | 'stop';
type ScanOutcome = Readonly<{
  found: boolean;
  /** The read ran to the end of the stream (it was neither stopped nor cut by `maxCount`). */
  exhausted: boolean;
  first: EsdbRecorded | undefined;
  last: EsdbRecorded | undefined;
}>;

/**
 * Reads a stream in one direction, handing each event to `visit` until it says stop. A stream that
 * does not exist is reported as `found: false` (ESDB raises "stream not found" while iterating).
 * A read stopped early is cancelled on the server, not left open.
 */
export const scanStream = async (
  client: EsdbClient,
  streamId: string,
  options: Readonly<{ direction: 'forwards' | 'backwards'; fromRevision: ReadRevision; maxCount: number }>,
  visit: Visit,
): Promise<ScanOutcome> => {
  const read = client.readStream(streamId, {
    direction: options.direction === 'backwards' ? BACKWARDS : FORWARDS,
    fromRevision: options.fromRevision,
    maxCount: options.maxCount,
  });
  let stopped = false;
  let completed = false;
  let count = 0;
  let first: EsdbRecorded | undefined;
  let last: EsdbRecorded | undefined;
  try {
    for await (const resolved of read) {
      const event = resolved.event;
      if (!event) continue;
      count += 1;
      first ??= event;
      last = event;
      if (visit(event) === 'stop') {
        stopped = true;
        break;
      }
    }
    completed = !stopped;
  } catch (error) {
    if (isStreamNotFound(error)) return { found: false, exhausted: true, first: undefined, last: undefined };
    throw error;
  } finally {
    if (!completed) await read.cancel().catch(() => {});
  }
  return { found: true, exhausted: !stopped && count < options.maxCount, first, last };
};

/**
 * The revision of a stream none of whose events is readable any more (all past `$maxAge`): ESDB
 * reads it as an empty stream and says nothing of its revision, but an empty append expecting
 * "no stream" is refused with the current revision and writes nothing.
 */
const probeRevision = async (client: EsdbClient, streamId: string): Promise<bigint | null> => {
  try {
    const result = await client.appendToStream(streamId, [], { expectedRevision: NO_STREAM });
    if (!result.success)
      throw new Error('EventStoreDB append failed; throwOnAppendFailure=false is not supported');
    return null;
  } catch (error) {
    if (isWrongExpectedVersion(error)) return fromEsdbRevision(error.actualVersion);
    throw error;
  }
};

/** The last `window` events of a stream, newest first: its head, last hash and recent ids. */
export const readHead = async (client: EsdbClient, streamId: string, window: number): Promise<StreamHead> => {
  const recent = new Map<string, StoredRef>();
  let last: RecordedEvent | undefined;
  const outcome = await scanStream(
    client,
    streamId,
    { direction: 'backwards', fromRevision: END, maxCount: window },
    (event) => {
      const recorded = toRecordedEvent(event);
      last ??= recorded;
      recent.set(recorded.id, { streamVersion: recorded.streamVersion, checkpoint: recorded.checkpoint });
      return 'take';
    },
  );
  if (!outcome.found) return NO_HEAD;
  if (last) return { revision: last.streamVersion, lastHash: last.metadata.hash ?? null, recent };
  return { revision: await probeRevision(client, streamId), lastHash: null, recent };
};

/** Revision of the stream's last readable event (null: missing, or nothing readable). */
const lastRevision = async (client: EsdbClient, streamId: string): Promise<bigint | null> => {
  const outcome = await scanStream(
    client,
    streamId,
    { direction: 'backwards', fromRevision: END, maxCount: 1 },
    () => 'take',
  );
  return outcome.first?.revision ?? null;
};

/** Checkpoint of the event at `revision` (when an append's reply carried no position). */
export const checkpointAt = async (
  client: EsdbClient,
  streamId: string,
  revision: bigint,
): Promise<Checkpoint> => {
  const outcome = await scanStream(
    client,
    streamId,
    { direction: 'backwards', fromRevision: revision, maxCount: 1 },
    () => 'take',
  );
  if (!outcome.first) throw new Error(`event ${revision} of ${streamId} was written but cannot be read back`);
  return toRecordedEvent(outcome.first).checkpoint;
};

/**
 * Reads a stream like the PostgreSQL adapter: inclusive `from`/`to` versions in either direction,
 * `toTimestamp` against the recording time, and the stream's current version alongside. Events
 * past `$maxAge` are invisible (ESDB hides them), so a stream whose every event expired reads like
 * a missing one: `{ currentVersion: null, events: [] }`.
 */
export const readStream = async (
  client: EsdbClient,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<ReadStreamResult> => {
  const limit = boundedLimit(options.limit, MAX_LIMIT);
  const backwards = options.direction === 'backwards';
  const { from, to, toTimestamp } = options;
  const until = toTimestamp?.getTime();
  const events: RecordedEvent[] = [];

  let start: ReadRevision;
  let span: bigint | null;
  if (backwards) {
    start = from ?? END;
    span = from !== undefined && to !== undefined ? from - to + 1n : from !== undefined ? from + 1n : null;
  } else {
    const first = from !== undefined && from > 0n ? from : 0n;
    start = first;
    span = to !== undefined ? to - first + 1n : null;
  }
  // Going backwards, events newer than `toTimestamp` are skipped rather than counted.
  const cap =
    backwards && until !== undefined ? span : span !== null && span < BigInt(limit) ? span : BigInt(limit);
  const maxCount =
    cap === null || cap > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cap);

  const outcome =
    maxCount <= 0
      ? { found: true, exhausted: false, first: undefined, last: undefined }
      : await scanStream(
          client,
          streamId,
          { direction: backwards ? 'backwards' : 'forwards', fromRevision: start, maxCount },
          (event) => {
            if (backwards) {
              if (to !== undefined && event.revision < to) return 'stop';
              if (until !== undefined && event.created.getTime() > until) return 'take';
            } else {
              if (to !== undefined && event.revision > to) return 'stop';
              if (until !== undefined && event.created.getTime() > until) return 'stop';
            }
            events.push(toRecordedEvent(event));
            return events.length >= limit ? 'stop' : 'take';
          },
        );
  if (!outcome.found) return { currentVersion: null, events: [] };

  // The newest event read is the head when the read started at the end or ran to it.
  const head = backwards
    ? from === undefined
      ? outcome.first
      : undefined
    : outcome.exhausted
      ? outcome.last
      : undefined;
  if (backwards && from === undefined) return { currentVersion: head?.revision ?? null, events };
  return { currentVersion: head ? head.revision : await lastRevision(client, streamId), events };
};

/** The raw metadata of a stream (`$maxAge`, `$tb`, ACLs…) and the revision of its metadata stream. */
export const readStreamMetadata = async (
  client: EsdbClient,
  streamId: string,
): Promise<{ revision: bigint | null; data: Record<string, unknown> }> => {
  let found: EsdbRecorded | undefined;
  const outcome = await scanStream(
    client,
    metastreamOf(streamId),
    { direction: 'backwards', fromRevision: END, maxCount: 1 },
    (event) => {
      found = event;
      return 'take';
    },
  );
  if (!outcome.found || !found) return { revision: null, data: {} };
  const data = found.data;
  return {
    revision: found.revision,
    data:
      data !== null && typeof data === 'object' && !(data instanceof Uint8Array)
        ? { ...(data as Record<string, unknown>) }
        : {},
  };
};
