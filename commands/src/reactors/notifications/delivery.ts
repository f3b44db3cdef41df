import { backoffDelayMs } from './backoff.js';
import { DeliveryError, type Notifier } from './channels/notifier.js';
import type { Notification } from './notification.js';
import type { RetryPolicy } from './notification-config.js';

export type AttemptOutcome =
  | Readonly<{ sent: true }>
  | Readonly<{ sent: false; error: string; willRetry: boolean }>;

export type DeliveryDeps = Readonly<{
  retry: RetryPolicy;
  /** Records the attempt (events, metrics, logs) before the next one starts. */
  onAttempt: (attempt: number, outcome: AttemptOutcome) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Masks secrets in error text before it is recorded or logged. */
  redact: (text: string) => string;
}>;

const describe = (error: unknown): Readonly<{ message: string; retryable: boolean }> =>
  error instanceof DeliveryError
    ? { message: error.message, retryable: error.retryable }
    : { message: `unexpected ${error instanceof Error ? error.name : 'failure'}`, retryable: true };

/**
 * Sends a notification, retrying failures that may heal with exponential back-off and jitter, up to
 * the policy's attempts. Every attempt is reported, so the alert's history shows each one. After the
 * last failed attempt the notification stays undelivered: the planner offers it again one group
 * interval later, so nothing is lost to a receiver that was down for a while.
 */
export const deliverWithRetry = async (
  notifier: Notifier,
  notification: Notification,
  deps: DeliveryDeps,
): Promise<AttemptOutcome> => {
  for (let attempt = 1; ; attempt++) {
    let outcome: AttemptOutcome;
    try {
      await notifier.send(notification, attempt);
      outcome = { sent: true };
    } catch (error) {
      const failure = describe(error);
      outcome = {
        sent: false,
        error: deps.redact(failure.message).slice(0, 1000),
        willRetry: failure.retryable && attempt < deps.retry.maxAttempts,
      };
    }
    await deps.onAttempt(attempt, outcome);
    if (outcome.sent || !outcome.willRetry) return outcome;
    await deps.sleep(backoffDelayMs(attempt, deps.retry, deps.random));
  }
};
