import {
  BACKWARDS,
  END,
  START as ESDB_START,
  EventStoreDBClient,
  NO_STREAM,
  type Position,
} from '@eventstore/db-client';
import {
  type AppendResult,
  type Event,
  isTelemetryStream,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
  type StreamAppend,
  type StreamRetention,
  type SubscribeOptions,
  type Subscription,
  validationFailed,
} from '@netpulse/domain';
import { normalizeAppends, validateAppends } from '../append-validation.js';
import { EventStoreBase } from '../event-store-base.js';
import { compareCheckpoints, encodeCheckpoint, FROM_START } from './checkpoint.js';
import type { EsdbClient } from './client.js';
import { fromEsdbRevision, isWrongExpectedVersion, versionConflict } from './expected-version.js';
import { toEventData } from './mapping.js';
import { type AppendPlan, headAfter, planAppend, type WritePlan } from './plan.js';
import { readAllFiltered } from './read-all.js';
import { checkpointAt, readHead, readStream, readStreamMetadata, scanStream } from './reads.js';
import { type OpenSubscription, type SubscriptionSettings, startSubscription } from './subscription.js';

export type EventStoreDbEventStoreOptions = Readonly<{
  /** e.g. `esdb://127.0.0.1:2113?tls=false`, or a cluster / DNS discovery string. */
  connectionString: string;
  /** `$maxAge` given to observation and trap streams when an append creates them. */
  observationMaxAgeSeconds?: number;
  /** Failures the store recovers from or cannot report to a caller (retention of a new stream). */
  onError?: (error: unknown) => void;
  /**
   * How many of a stream's latest events (on top of the append's own count) are searched for the
   * ids being appended; an id further back than that is not recognised as already stored.
   */
  idempotencyWindow?: number;
  /** Attempts for an append racing other writers under `any` / `exists` (default 5). */
  maxAppendAttempts?: number;
  subscription?: SubscriptionSettings;
}>;

const positiveSeconds = (value: number, what: string): number => {
  if (!Number.isInteger(value) || value < 1)
    throw validationFailed(`${what} must be a positive whole number of seconds`);
  return value;
};

/**
 * The EventStore port on EventStoreDB (24.10 targeted; ≥ 23.10 needed, whose catch-up
 * subscriptions signal "caught up"). Same outward behaviour as the PostgreSQL adapter — 0-based
 * versions, strict expectations, idempotent re-appends, a per-stream hash chain, filtered global
 * reads, one `$all` subscription per subscriber — except where the engine differs:
 * - `appendMany` is checked up front but written stream by stream (no cross-stream transaction);
 * - stored ids are recognised within the stream's last `idempotencyWindow` events, not store-wide;
 * - once every event of a stream has expired (`$maxAge`) it reads as missing, and the next append
 *   restarts its hash chain from the genesis hash;
 * - global order is the single commit order of the log: there is no transaction that commits late.
 */
export class EventStoreDbEventStore extends EventStoreBase {
  private readonly idempotencyWindow: number;
  private readonly maxAppendAttempts: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    readonly client: EsdbClient,
    private readonly options: Omit<EventStoreDbEventStoreOptions, 'connectionString'> = {},
  ) {
    super();
    if (options.observationMaxAgeSeconds !== undefined) {
      positiveSeconds(options.observationMaxAgeSeconds, 'observationMaxAgeSeconds');
    }
    this.idempotencyWindow = options.idempotencyWindow ?? 64;
    this.maxAppendAttempts = options.maxAppendAttempts ?? 5;
  }

  /** Creates the client; it connects lazily and reconnects by itself. */
  static connect(options: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    const { connectionString, ...rest } = options;
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), rest);
  }

  /**
   * All or nothing where the engine allows it. EventStoreDB has no transaction across streams, so
   * every input is validated and every expectation checked against the streams as read (ids
   * already stored, versions) before the first write; a conflict found then writes nothing. The
   * writes then go stream by stream, in order, each pinned to the revision that was read: if a
   * concurrent writer moves a later stream in between, that append fails (or, under `any` /
   * `exists`, is re-planned) while the streams before it stay written.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> {
    const normalized = normalizeAppends(appends);
    validateAppends(normalized);
    if (normalized.length === 0) return [];

    const windows = new Map<string, number>();
    for (const append of normalized) {
      windows.set(append.streamId, (windows.get(append.streamId) ?? 0) + append.events.length);
    }
    const heads = new Map(
      await Promise.all(
        [...windows].map(
          async ([streamId, count]) =>
            [streamId, await readHead(this.client, streamId, count + this.idempotencyWindow)] as const,
        ),
      ),
    );
    const plans: AppendPlan[] = [];
    for (const append of normalized) {
      const head = heads.get(append.streamId)!;
      const plan = planAppend(append, head);
      plans.push(plan);
      heads.set(append.streamId, headAfter(head, plan));
    }

    const results: AppendResult[] = [];
    for (const [index, append] of normalized.entries()) {
      const plan = plans[index]!;
      results.push(plan.kind === 'stored' ? plan.result : await this.write(append, plan));
    }
    return results;
  }

  /** Writes one planned append; after losing a race, re-reads the stream and decides again. */
  private async write(append: StreamAppend, first: WritePlan): Promise<AppendResult> {
    let plan: AppendPlan = first;
    for (let attempt = 1; ; attempt++) {
      if (plan.kind === 'stored') return plan.result;
      let result: Awaited<ReturnType<EsdbClient['appendToStream']>> | null = null;
      let actual: bigint | null = null;
      try {
        result = await this.client.appendToStream(append.streamId, plan.events.map(toEventData), {
          expectedRevision: plan.expectedRevision,
        });
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        actual = fromEsdbRevision(error.actualVersion);
      }
      if (result?.success) {
        if (plan.createsStream) await this.applyObservationRetention(append.streamId);
        return {
          streamId: append.streamId,
          nextExpectedVersion: result.nextExpectedRevision,
          appended: plan.events.length,
          checkpoint: result.position
            ? encodeCheckpoint(result.position)
            : await checkpointAt(this.client, append.streamId, result.nextExpectedRevision),
        };
      }
      // Wrong expected version. The ids may have been stored meanwhile (a concurrent retry):
      // re-read a wider window, answer idempotently or re-check the caller's own expectation.
      const read = await readHead(
        this.client,
        append.streamId,
        append.events.length + this.idempotencyWindow * 4,
      );
      // Nothing readable (every event expired): the server's answer still tells the revision.
      const head = read.revision === null && actual !== null ? { ...read, revision: actual } : read;
      if (attempt >= this.maxAppendAttempts) {
        const settled = planAppend(append, head);
        if (settled.kind === 'stored') return settled.result;
        throw versionConflict(append.streamId, append.expectedVersion, head.revision);
      }
      plan = planAppend(append, head);
    }
  }

  /** A new observation or trap stream gets its retention right after the append that created it. */
  private async applyObservationRetention(streamId: string): Promise<void> {
    const maxAge = this.options.observationMaxAgeSeconds;
    if (maxAge === undefined || !isTelemetryStream(streamId)) return;
    try {
      await this.writeMaxAge(streamId, maxAge);
    } catch (error) {
      // The events are stored; failing the append now would invite a retry that changes nothing.
      this.options.onError?.(error);
    }
  }

  /** Sets `$maxAge`, keeping the stream's other metadata; optimistic on the metadata stream. */
  private async writeMaxAge(streamId: string, maxAgeSeconds: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await readStreamMetadata(this.client, streamId);
      try {
        await this.client.setStreamMetadata(
          streamId,
          { ...current.data, $maxAge: maxAgeSeconds },
          { expectedRevision: current.revision ?? NO_STREAM },
        );
        return;
      } catch (error) {
        if (!isWrongExpectedVersion(error) || attempt >= this.maxAppendAttempts) throw error;
      }
    }
  }

  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>> {
    return readStream(this.client, streamId, options) as Promise<ReadStreamResult<E>>;
  }

  readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    return readAllFiltered({ open: this.openSubscription, headPosition: () => this.headPosition() }, options);
  }

  compareCheckpoints(a: string, b: string): number {
    return compareCheckpoints(a, b);
  }

  subscribe(options: SubscribeOptions): Subscription {
    const subscription = startSubscription(this.openSubscription, options, this.options.subscription);
    this.subscriptions.add(subscription);
    return {
      get checkpoint() {
        return subscription.checkpoint;
      },
      close: async () => {
        this.subscriptions.delete(subscription);
        await subscription.close();
      },
    };
  }

  async setStreamRetention(streamId: string, retention: StreamRetention): Promise<void> {
    const maxAge = positiveSeconds(retention.maxAgeSeconds, 'maxAgeSeconds');
    const exists = await scanStream(
      this.client,
      streamId,
      { direction: 'backwards', fromRevision: END, maxCount: 1 },
      () => 'stop',
    );
    if (!exists.found) throw validationFailed(`stream ${streamId} does not exist`);
    await this.writeMaxAge(streamId, maxAge);
  }

  /** Stops the subscriptions still open (each after its batch in flight), then disposes the client. */
  async close(): Promise<void> {
    const open = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(open.map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private readonly openSubscription: OpenSubscription = (from, filter, highWaterMark) =>
    this.client.subscribeToAll(
      { fromPosition: from === FROM_START ? ESDB_START : from, filter, resolveLinkTos: false },
      { highWaterMark },
    );

  /** Position of the last record in `$all`, whatever its stream. */
  private async headPosition(): Promise<Position | null> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    for await (const resolved of read) {
      const position = resolved.event?.position ?? resolved.link?.position;
      if (position) return position;
    }
    return null;
  }
}

/** Opens the EventStoreDB event store (the client connects lazily, on first use). */
export const createEventStoreDbEventStore = async (
  options: EventStoreDbEventStoreOptions,
): Promise<EventStoreDbEventStore> => EventStoreDbEventStore.connect(options);
