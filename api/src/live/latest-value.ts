/**
 * A subscriber's view of a state that changes (a summary): only the newest value waits, so a slow
 * client skips intermediate states instead of queueing them, and memory stays one value.
 */
export class LatestValue<T> implements AsyncIterableIterator<T> {
  private pending: { value: T } | null = null;
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(private readonly onReturn: () => void) {}

  set(value: T): void {
    if (this.done) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter({ value, done: false });
    } else {
      this.pending = { value };
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.pending) {
      const { value } = this.pending;
      this.pending = null;
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.pending = null;
      this.waiter?.({ value: undefined, done: true });
      this.waiter = null;
      this.onReturn();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
