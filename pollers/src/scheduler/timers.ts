/** Timers as a port, so the scheduler and emitter run under fake timers in tests. */
export type TimerHandle = ReturnType<typeof setTimeout>;
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

export const sleep = (ms: number, timers: Timers = systemTimers): Promise<void> =>
  new Promise((resolve) => timers.setTimeout(resolve, ms));
