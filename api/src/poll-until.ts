/**
 * Calls `attempt` until `done` accepts what it returned or `timeoutMs` has passed, `intervalMs`
 * apart, and resolves to the last value either way: how a reader waits, a bounded time, for a read
 * model that trails the event store to show a change it already knows of. `now` is the clock the
 * caller runs on.
 */
export const pollUntil = async <T>(
  attempt: () => Promise<T>,
  done: (value: T) => boolean,
  options: Readonly<{ timeoutMs: number; intervalMs: number; now?: () => number }>,
): Promise<T> => {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const value = await attempt();
    if (done(value) || now() >= deadline) return value;
    // Unreferenced: a wait alone never keeps a process that is shutting down alive.
    await new Promise<void>((resolve) => setTimeout(resolve, options.intervalMs).unref());
  }
};
