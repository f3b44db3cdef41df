import type { Readable } from 'node:stream';
import type { AllStreamResolvedEvent } from '@eventstore/db-client';

/** A catch-up subscription as the client returns it: a readable of resolved events. */
export type FeedSource = Readable & { unsubscribe(): Promise<void> };

/**
 * Consumes one catch-up subscription with backpressure: events queue up to `highWater`, then the
 * readable is paused, which stops the client from reading the gRPC stream (and the server from
 * sending). The server's caught-up signal is turned into a count of the events that preceded it,
 * so "caught up" is reported only once every one of them has been taken.
 */
export class EventFeed {
  private readonly queue: AllStreamResolvedEvent[] = [];
  private received = 0;
  private taken = 0;
  private caughtUpAt: number | null = null;
  private failure: unknown = null;
  private ended = false;
  private closed = false;
  private waiters = new Set<() => void>();

  constructor(
    private readonly source: FeedSource,
    private readonly highWater: number,
  ) {
    source.on('data', (event: AllStreamResolvedEvent) => {
      this.queue.push(event);
      this.received += 1;
      if (this.queue.length >= this.highWater) source.pause();
      this.notify();
    });
    // Emitted while the events before it may still sit in the readable's own buffer.
    source.on('caughtUp', () => {
      this.caughtUpAt = this.received + source.readableLength;
      this.notify();
    });
    source.on('fellBehind', () => {
      this.caughtUpAt = null;
      this.notify();
    });
    // Always listened to: an unhandled 'error' event would crash the process.
    source.on('error', (error: unknown) => {
      this.failure ??= error;
      this.notify();
    });
    source.on('end', () => this.finish());
    source.on('close', () => this.finish());
  }

  /** Takes the next event received, if any. */
  take(): AllStreamResolvedEvent | undefined {
    const event = this.queue.shift();
    if (event === undefined) return undefined;
    this.taken += 1;
    if (this.queue.length < this.highWater && this.source.isPaused() && !this.closed) this.source.resume();
    return event;
  }

  get buffered(): number {
    return this.queue.length;
  }

  /** Every event that preceded the server's caught-up signal has been taken (and no fell-behind since). */
  get caughtUp(): boolean {
    return this.caughtUpAt !== null && this.taken >= this.caughtUpAt;
  }

  /** Throws the subscription's failure (or its end) once the events received before it are taken. */
  throwIfBroken(): void {
    if (this.queue.length > 0) return;
    if (this.failure !== null) throw this.failure;
    if (this.ended) throw new Error('EventStoreDB subscription ended');
  }

  /** Resolves on the next event, signal or failure, or after `timeoutMs`. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.queue.length > 0 || this.failure !== null || this.ended || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Wakes waiters (the filter's checkpoint callback uses it). */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Cancels the subscription on the server and releases the readable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    await this.source.unsubscribe().catch(() => {});
    this.source.destroy();
  }

  private finish(): void {
    this.ended = true;
    this.notify();
  }
}
