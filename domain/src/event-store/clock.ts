/** Time as a port, so reactors and pollers are testable with a controlled clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
