/**
 * At most `limit` tasks in flight, started by priority (lower first), then in the order they asked
 * for a slot: a shared budget for work that several chains feed as their steps become ready. Once a
 * task fails, tasks that have not started yet are not run; they reject with that failure.
 */
export class Slots {
  private running = 0;
  private readonly waiting: Array<{ priority: number; start: () => void }> = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    // A finishing task hands its slot straight over, so `running` already counts this one.
    else
      await new Promise<void>((start) => {
        const after = this.waiting.findIndex((waiting) => waiting.priority > priority);
        this.waiting.splice(after === -1 ? this.waiting.length : after, 0, { priority, start });
      });
    try {
      if (this.failure) throw this.failure.error;
      return await task();
    } catch (error) {
      this.failure ??= { error };
      throw error;
    } finally {
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running -= 1;
    }
  }
}

/** Waits for every promise to settle, then rejects with the first failure: none is left running unobserved. */
export const settleAll = async (work: readonly Promise<unknown>[]): Promise<void> => {
  const failed = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
};
