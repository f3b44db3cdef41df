import { type EventStore, type EventToAppend, isDomainError, type StreamAppend } from '@netpulse/domain';
import { errorSummary, type Logger } from '../logger.js';
import type { PollerMetrics } from '../metrics.js';
import { systemTimers, type TimerHandle, type Timers } from '../scheduler/timers.js';
import { BoundedBuffer } from './bounded-buffer.js';

export type PendingEvent = Readonly<{ streamId: string; event: EventToAppend }>;

export type EmitterOptions = Readonly<{
  store: EventStore;
  logger: Logger;
  metrics: PollerMetrics;
  capacity: number;
  batchSize: number;
  flushIntervalMs: number;
  maxBackoffMs: number;
  timers?: Timers;
}>;

/** A store error that retrying cannot fix: the event itself was refused. */
const isPermanent = (error: unknown): boolean => isDomainError(error) && error.code === 'VALIDATION_FAILED';

/** Groups a batch by stream, keeping each stream's events in order, into one appendMany call. */
export const toAppends = (batch: readonly PendingEvent[]): StreamAppend[] => {
  const byStream = new Map<string, EventToAppend[]>();
  for (const { streamId, event } of batch) {
    const events = byStream.get(streamId);
    if (events) events.push(event);
    else byStream.set(streamId, [event]);
  }
  return [...byStream].map(([streamId, events]) => ({ streamId, expectedVersion: 'any', events }));
};

/**
 * Appends observations in batches. While the store is slow or down, observations wait in a bounded
 * buffer and the batch in flight is retried with exponential back-off; event ids are deterministic,
 * so a batch that was stored but not acknowledged is harmless to retry. What the buffer cannot hold
 * is dropped oldest-first and counted, never silently.
 */
export class ObservationEmitter {
  readonly #options: EmitterOptions;
  readonly #timers: Timers;
  readonly #buffer: BoundedBuffer<PendingEvent>;
  #inFlight: PendingEvent[] = [];
  #flushing: Promise<void> | null = null;
  #timer: TimerHandle | null = null;
  #failures = 0;
  #retryAt = 0;
  #stopped = false;
  #droppedSinceLog = 0;
  #lastDropLogAt = 0;

  constructor(options: EmitterOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#buffer = new BoundedBuffer(options.capacity);
  }

  /** Observations held: buffered plus the batch being appended. */
  get depth(): number {
    return this.#buffer.size + this.#inFlight.length;
  }

  start(): void {
    this.#arm(this.#options.flushIntervalMs);
  }

  emit(pending: PendingEvent): void {
    if (this.#stopped) {
      this.#drop('shutdown', 1);
      return;
    }
    const dropped = this.#buffer.push(pending);
    if (dropped) this.#drop('buffer_full', 1);
    this.#updateDepth();
    if (this.#buffer.size >= this.#options.batchSize && this.#failures === 0) this.#kick();
  }

  /** Stops taking observations and tries, for at most `graceMs`, to store what is held. */
  async stop(graceMs = 5_000): Promise<void> {
    this.#stopped = true;
    if (this.#timer) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + graceMs;
    // Let a flush in progress settle first: two flushes must never share the batch in flight.
    let settled = this.#flushing === null;
    if (this.#flushing) {
      let handle: TimerHandle | undefined;
      await Promise.race([
        this.#flushing.then(() => {
          settled = true;
        }),
        new Promise<void>((resolve) => {
          handle = this.#timers.setTimeout(resolve, graceMs);
        }),
      ]);
      if (handle) this.#timers.clearTimeout(handle);
    }
    this.#failures = 0;
    this.#retryAt = 0;
    while (settled && this.depth > 0 && Date.now() < deadline) {
      const before = this.depth;
      await this.#flushOnce(deadline);
      if (this.depth >= before) {
        // No progress (store down): wait a little, but never beyond the grace period.
        await new Promise<void>((resolve) =>
          this.#timers.setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))),
        );
      }
    }
    const left = this.depth;
    if (left > 0) {
      this.#drop('shutdown', left);
      this.#options.logger.warn({ observations: left }, 'poller: observations not stored at shutdown');
      this.#buffer.take(this.#buffer.size);
      this.#inFlight = [];
      this.#updateDepth();
    }
  }

  #kick(): void {
    if (this.#flushing || this.#stopped) return;
    this.#flushing = this.#flushLoop()
      // Failures are handled inside; this only guarantees no rejection ever goes unhandled.
      .catch(() => undefined)
      .finally(() => {
        this.#flushing = null;
      });
  }

  #arm(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#kick();
      this.#arm(this.#options.flushIntervalMs);
    }, ms);
  }

  async #flushLoop(): Promise<void> {
    while (!this.#stopped && this.depth > 0 && Date.now() >= this.#retryAt) {
      const ok = await this.#flushOnce(Number.POSITIVE_INFINITY);
      if (!ok) return;
    }
  }

  /** Appends the batch in flight (or the next one). Returns false after a failure. */
  async #flushOnce(deadline: number): Promise<boolean> {
    if (this.#inFlight.length === 0) this.#inFlight = this.#buffer.take(this.#options.batchSize);
    const batch = this.#inFlight;
    if (batch.length === 0) return true;
    try {
      await this.#options.store.appendMany(toAppends(batch));
      this.#succeeded(batch.length);
      return true;
    } catch (error) {
      if (isPermanent(error)) {
        await this.#appendOneByOne(batch, deadline);
        return true;
      }
      this.#failed(error);
      return false;
    } finally {
      this.#updateDepth();
    }
  }

  /** One refused event must not block the others: find it by appending each alone, drop only it. */
  async #appendOneByOne(batch: PendingEvent[], deadline: number): Promise<void> {
    const remaining = [...batch];
    while (remaining.length > 0 && Date.now() < deadline) {
      const next = remaining[0]!;
      try {
        await this.#options.store.appendMany(toAppends([next]));
        this.#options.metrics.appended.inc();
      } catch (error) {
        if (!isPermanent(error)) {
          this.#inFlight = remaining;
          this.#failed(error);
          return;
        }
        this.#drop('rejected', 1);
        this.#options.logger.error(
          {
            eventId: next.event.id,
            type: next.event.type,
            streamId: next.streamId,
            err: errorSummary(error),
          },
          'poller: the event store refused an observation; dropped',
        );
      }
      remaining.shift();
    }
    this.#inFlight = remaining;
    if (remaining.length === 0) this.#failures = 0;
  }

  #succeeded(count: number): void {
    this.#options.metrics.appended.inc(count);
    this.#inFlight = [];
    if (this.#failures > 0) {
      this.#options.logger.info({ afterFailures: this.#failures }, 'poller: event store reachable again');
    }
    this.#failures = 0;
    this.#retryAt = 0;
  }

  #failed(error: unknown): void {
    this.#failures += 1;
    this.#options.metrics.appendFailures.inc();
    const backoff = Math.min(this.#options.maxBackoffMs, 250 * 2 ** Math.min(this.#failures - 1, 20));
    // Jitter keeps several pollers from retrying against a recovering store in lock-step.
    const delay = Math.round(backoff * (0.5 + Math.random() / 2));
    this.#retryAt = Date.now() + delay;
    if (this.#failures === 1 || this.#failures % 10 === 0) {
      this.#options.logger.warn(
        { err: errorSummary(error), failures: this.#failures, retryInMs: delay, buffered: this.depth },
        'poller: appending observations failed; keeping them and retrying',
      );
    }
    this.#arm(delay);
  }

  #drop(reason: 'buffer_full' | 'rejected' | 'shutdown', count: number): void {
    this.#options.metrics.dropped.inc({ reason }, count);
    if (reason !== 'buffer_full') return;
    this.#droppedSinceLog += count;
    const now = Date.now();
    if (now - this.#lastDropLogAt >= 10_000) {
      this.#options.logger.warn(
        { dropped: this.#droppedSinceLog, capacity: this.#options.capacity },
        'poller: observation buffer full; dropping the oldest observations',
      );
      this.#droppedSinceLog = 0;
      this.#lastDropLogAt = now;
    }
  }

  #updateDepth(): void {
    this.#options.metrics.bufferDepth.set(this.depth);
  }
}
