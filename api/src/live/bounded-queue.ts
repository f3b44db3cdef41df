export type QueueEnd = 'ended' | 'overflow' | 'failed' | 'returned';

export type BoundedQueueOptions = Readonly<{
  /**
   * Items a consumer may fall behind by before `offer` closes the queue, counted when a burst
   * begins: what is still waiting from earlier bursts.
   */
  limit: number;
  /**
   * What one burst (everything offered in one turn of the event loop, such as a feed batch) may add
   * on top of the backlog; the memory bound is `limit + burstAllowance`. Default: max(limit, 5,000).
   */
  burstAllowance?: number;
  /** True when the transport behind the consumer is backed up as well (a socket's unsent bytes). */
  congested?: () => boolean;
  /** The error the consumer receives once it fell behind. */
  overflowError: (queued: number) => Error;
  /** Runs once, however the queue ends, so the producer stops feeding it. */
  onEnd?: (end: QueueEnd) => void;
  /**
   * Runs with the overflow error as the consumer falls behind, before it pulls that error: a
   * consumer blocked elsewhere (writing to a socket its client stopped reading) learns at once.
   */
  onOverflow?: (error: Error) => void;
}>;

type Waiter<T> = Readonly<{ resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }>;

let burst = 0;
let burstEnding = false;
/**
 * Which turn of the event loop this is, shared by every queue: one `setImmediate` moves it on once
 * the current turn's callbacks (a whole feed message, or several read from one socket) are done.
 */
const currentBurst = (): number => {
  if (!burstEnding) {
    burstEnding = true;
    setImmediate(() => {
      burst += 1;
      burstEnding = false;
    });
  }
  return burst;
};

/**
 * Between a producer that cannot be paced (the live feed) and a consumer that pulls (mercurius sends
 * the next message once the socket took the previous one). A consumer that falls `limit` items
 * behind is cut off with an error instead of growing memory without bound. Lag is measured between
 * bursts, not inside one: a batch of a thousand status changes (a site going dark) reaches every
 * dashboard at once, and a consumer that drains it before the next batch is not slow. Items the
 * producer only reads when asked (a replay) are `push`ed after `whenRoom`, so they never trip it.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  /** Queued items that were pushed on demand; they do not count towards the limit. */
  private pushed = 0;
  private waiter: Waiter<T> | null = null;
  /** open: accepting; ending: draining, then done; failed: the error is next; done: nothing more. */
  private state: 'open' | 'ending' | 'failed' | 'done' = 'open';
  private error: Error | null = null;
  private roomWaiters: { below: number; resolve: () => void }[] = [];
  private burst = -1;
  private backlogAtBurstStart = 0;
  private readonly hardLimit: number;
  private resolveEnded: (end: QueueEnd) => void = () => {};
  /** Settles once the queue stops accepting items, with why. */
  readonly ended: Promise<QueueEnd> = new Promise((resolve) => {
    this.resolveEnded = resolve;
  });

  constructor(private readonly options: BoundedQueueOptions) {
    this.hardLimit = options.limit + (options.burstAllowance ?? Math.max(options.limit, 5_000));
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** True once no item will be added any more (the consumer may still drain what is queued). */
  get closed(): boolean {
    return this.state !== 'open';
  }

  /** Adds an item the producer could not hold back; false when the consumer fell behind (or left). */
  offer(item: T): boolean {
    if (this.closed) return false;
    const backlog = this.size - this.pushed;
    const now = currentBurst();
    if (now !== this.burst) {
      this.burst = now;
      this.backlogAtBurstStart = backlog;
    }
    if (
      this.backlogAtBurstStart >= this.options.limit ||
      backlog >= this.hardLimit ||
      this.options.congested?.() === true
    ) {
      const error = this.options.overflowError(backlog);
      this.stop(error, 'overflow');
      this.options.onOverflow?.(error);
      return false;
    }
    this.enqueue(item);
    return true;
  }

  /** Adds an item the producer read on demand (after `whenRoom`): never counts as falling behind. */
  push(item: T): void {
    if (this.closed) return;
    this.pushed += 1;
    this.enqueue(item);
  }

  /** Resolves once fewer than `below` items wait (or the queue closed): pacing for on-demand producers. */
  whenRoom(below = Math.max(1, Math.floor(this.options.limit / 2))): Promise<void> {
    if (this.closed || this.size < below) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ below, resolve }));
  }

  /** No more items: the consumer drains what is queued, then completes. */
  end(): void {
    if (this.closed) return;
    this.state = 'ending';
    this.finish('ended');
    this.settle();
  }

  /** Ends with an error the consumer receives at once; queued items are dropped. */
  fail(error: Error): void {
    if (!this.closed) this.stop(error, 'failed');
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) return Promise.resolve({ value: this.dequeue(), done: false });
    if (this.state === 'failed') {
      this.state = 'done';
      return Promise.reject(this.error);
    }
    if (this.state !== 'open') return Promise.resolve(done());
    if (this.waiter)
      return Promise.reject(new Error('BoundedQueue: next() called while a next() is pending'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** The consumer left (client stopped the subscription, socket closed). */
  return(): Promise<IteratorResult<T>> {
    const wasOpen = this.state === 'open';
    this.clear();
    this.state = 'done';
    if (wasOpen) this.finish('returned');
    this.settle();
    return Promise.resolve(done());
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private stop(error: Error, end: QueueEnd): void {
    this.clear();
    this.error = error;
    this.state = 'failed';
    this.finish(end);
    this.settle();
  }

  private finish(end: QueueEnd): void {
    this.resolveEnded(end);
    this.options.onEnd?.(end);
  }

  private clear(): void {
    this.items = [];
    this.head = 0;
    this.pushed = 0;
  }

  private enqueue(item: T): void {
    const waiter = this.waiter;
    if (waiter && this.size === 0) {
      this.waiter = null;
      if (this.pushed > 0) this.pushed -= 1;
      waiter.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }

  private dequeue(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head += 1;
    // FIFO with pushed items arriving in bursts: counting the oldest as the pushed ones is close enough.
    if (this.pushed > 0) this.pushed -= 1;
    // Compact now and then, so a long-lived queue does not keep a growing array of holes.
    if (this.head > 1_024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.wakeRoomWaiters();
    return item;
  }

  /** Answers a pending next() and any pacing waiters after the state changed. */
  private settle(): void {
    const waiter = this.waiter;
    if (waiter && this.size === 0) {
      this.waiter = null;
      if (this.state === 'failed') {
        this.state = 'done';
        waiter.reject(this.error);
      } else if (this.state !== 'open') {
        waiter.resolve(done());
      }
    }
    this.wakeRoomWaiters();
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0) return;
    const size = this.size;
    const closed = this.closed;
    this.roomWaiters = this.roomWaiters.filter((waiter) => {
      if (!closed && size >= waiter.below) return true;
      waiter.resolve();
      return false;
    });
  }
}

const done = <T>(): IteratorResult<T> => ({ value: undefined, done: true });
