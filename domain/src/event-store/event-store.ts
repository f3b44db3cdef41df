import type { Checkpoint, Event, EventToAppend, RecordedEvent } from './event.js';

/**
 * What a writer expects of a stream before its append. A number is the 0-based version of the
 * stream's last event; `no-stream` demands that the stream does not exist yet, `exists` that it does.
 */
export type ExpectedVersion = 'no-stream' | 'exists' | 'any' | bigint;

export type StreamAppend = Readonly<{
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: readonly EventToAppend[];
}>;

export type AppendResult = Readonly<{
  streamId: string;
  /** Version of the stream's last event after the append: the next expected version. */
  nextExpectedVersion: bigint;
  /** How many events were stored; 0 when every event id was already stored (idempotent retry). */
  appended: number;
  /** Checkpoint of the last event written or already present. */
  checkpoint: Checkpoint;
}>;

export type ReadStreamOptions = Readonly<{
  direction?: 'forwards' | 'backwards';
  /** Inclusive stream version to start from (forwards: lowest, backwards: highest). */
  from?: bigint;
  /** Inclusive stream version to stop at. */
  to?: bigint;
  /** Only events recorded at or before this moment. */
  toTimestamp?: Date;
  limit?: number;
}>;

export type ReadStreamResult<E extends Event = Event> = Readonly<{
  /** Version of the stream's last event, or null when the stream does not exist. */
  currentVersion: bigint | null;
  events: readonly RecordedEvent<E>[];
}>;

export type EventFilter = Readonly<{
  /** Only these event types. */
  eventTypes?: readonly string[];
  /** Only streams of these categories (the stream id up to its first '-'). */
  categories?: readonly string[];
}>;

export type ReadAllOptions = Readonly<{ after?: Checkpoint; filter?: EventFilter; limit?: number }>;

export type ReadAllResult = Readonly<{
  events: readonly RecordedEvent[];
  /**
   * Where the next read resumes. When nothing matched it is `after`, or a later position past the
   * events the read examined, none of which the filter wanted; never past one it wanted.
   */
  checkpoint: Checkpoint;
  /** True when the read reached the head of the log as visible now. */
  caughtUp: boolean;
}>;

export type SubscribeOptions = Readonly<{
  /** Resume after this checkpoint; `START` replays everything. */
  after: Checkpoint;
  filter?: EventFilter;
  batchSize?: number;
  /**
   * Once caught up, how long to wait after new events show up before reading them (default 0):
   * appends arriving meanwhile join the same batch. Under a steady trickle of appends this turns
   * many one-event reads and transactions into fewer, larger ones, for at most this much latency.
   */
  gatherMs?: number;
  /**
   * Called with each batch in global order; the next batch is delivered only after the promise
   * settles (backpressure; a store may read one page ahead meanwhile). A rejected batch is retried
   * after a back-off, never skipped.
   */
  onBatch: (events: readonly RecordedEvent[], checkpoint: Checkpoint) => Promise<void>;
  /** Called on each failure the subscription recovers from (connection lost, handler threw). */
  onError?: (error: unknown) => void;
  /** Called once each time the subscription has delivered everything that was visible. */
  onCaughtUp?: (checkpoint: Checkpoint) => void;
}>;

export interface Subscription {
  /** The checkpoint of the last batch that `onBatch` accepted. */
  readonly checkpoint: Checkpoint;
  /** Stops reading; resolves once the batch in flight (if any) has settled. */
  close(): Promise<void>;
}

export type StreamRetention = Readonly<{ maxAgeSeconds: number }>;

export type VerifyResult =
  | Readonly<{ ok: true; streamId: string; eventsChecked: number }>
  | Readonly<{ ok: false; streamId: string; eventsChecked: number; brokenAtVersion: bigint; reason: string }>;

/** A pure fold, the part of a decider that rebuilds state. */
export type Evolver<State, E extends Event> = Readonly<{
  evolve: (state: State, event: E) => State;
  initialState: () => State;
}>;

export type AggregateOptions = Readonly<{ toVersion?: bigint; asOf?: Date }>;
export type AggregateResult<State> = Readonly<{ state: State; version: bigint | null }>;

/**
 * The event store port. Adapters (PostgreSQL, EventStoreDB) live in infra/ and pass one contract suite.
 */
export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: Readonly<{ expectedVersion: ExpectedVersion }>,
  ): Promise<AppendResult>;
  /** Appends to several streams at once, all or nothing where the engine allows it. */
  appendMany(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]>;
  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /**
   * Global order of two checkpoints this store issued: negative when `a` comes first, 0 when equal,
   * positive when `a` comes later; START comes before every event. Lets a reader that meets the same
   * events from two sources (a replay and a live feed) drop what it already has. Throws
   * VALIDATION_FAILED for a token that is not this store's.
   */
  compareCheckpoints(a: Checkpoint, b: Checkpoint): number;
  subscribe(options: SubscribeOptions): Subscription;
  /** Rebuilds a stream's state by replay, optionally as of a version or a moment (time travel). */
  aggregateStream<State, E extends Event>(
    streamId: string,
    evolver: Evolver<State, E>,
    options?: AggregateOptions,
  ): Promise<AggregateResult<State>>;
  setStreamRetention(streamId: string, retention: StreamRetention): Promise<void>;
  /** Recomputes the stream's hash chain and reports the first event that does not match. */
  verifyStream(streamId: string): Promise<VerifyResult>;
  close(): Promise<void>;
}
