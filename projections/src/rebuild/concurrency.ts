/**
 * At most `limit` tasks in flight, started in the order they ask for a slot (an urgent one before
 * every task waiting): a shared budget for work that several chains feed as their steps become
 * ready. Once a task fails, tasks that have not started yet are not run; they reject with that
 * failure.
 */
export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, urgency: 'queued' | 'urgent' = 'queued'): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    // A finishing task hands its slot straight over, so `running` already counts this one.
    else
      await new Promise<void>((resolve) =>
        urgency === 'urgent' ? this.waiting.unshift(resolve) : this.waiting.push(resolve),
      );
    try {
      if (this.failure) throw this.failure.error;
      return await task();
    } catch (error) {
      this.failure ??= { error };
      throw error;
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** Waits for every promise to settle, then rejects with the first failure: none is left running unobserved. */
export const settleAll = async (work: readonly Promise<unknown>[]): Promise<void> => {
  const failed = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
};
