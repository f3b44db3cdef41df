/**
 * Bounds how many probe processes and sockets are in flight at once. Work beyond the bound waits in
 * FIFO order; the queue cannot grow without bound because each scheduled probe is queued at most once.
 */
export class Limiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('limiter needs a positive integer bound');
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so `active` never overshoots the bound.
      if (next) next();
      else this.#active -= 1;
    }
  }
}
