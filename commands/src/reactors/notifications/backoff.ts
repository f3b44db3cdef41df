import type { RetryPolicy } from './notification-config.js';

/**
 * The wait after failed attempt `attempt` (1-based): doubling from the initial delay up to the
 * maximum, then shortened by up to `jitter` of itself at random so receivers that failed together do
 * not get their retries together. Never above the maximum, never negative.
 */
export const backoffDelayMs = (
  attempt: number,
  policy: Pick<RetryPolicy, 'initialDelaySeconds' | 'maxDelaySeconds' | 'jitter'>,
  random: () => number = Math.random,
): number => {
  const exponential = policy.initialDelaySeconds * 1000 * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(exponential, policy.maxDelaySeconds * 1000);
  return Math.max(0, Math.round(capped * (1 - policy.jitter * random())));
};
