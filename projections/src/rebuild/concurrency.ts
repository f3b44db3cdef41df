/**
 * Runs tasks with at most `limit` in flight, in the order given (put the longest first). Rejects
 * with the first failure once every started task has settled, so none is left running unobserved.
 */
export const runLimited = async (limit: number, tasks: ReadonlyArray<() => Promise<void>>): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
};
