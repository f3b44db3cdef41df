import { describe, expect, it } from 'vitest';
import { DeliveryError, type Notifier } from './channels/notifier.js';
import { type AttemptOutcome, deliverWithRetry } from './delivery.js';
import type { Notification } from './notification.js';

const notification = { notificationId: 'n-1', alerts: [] } as unknown as Notification;
const retry = { maxAttempts: 4, initialDelaySeconds: 1, maxDelaySeconds: 30, jitter: 0 };

const failing = (failures: readonly Error[]): Notifier & { calls: number[] } => {
  const calls: number[] = [];
  return {
    channel: 'webhook',
    target: 'hook',
    calls,
    send: async (_notification, attempt) => {
      calls.push(attempt);
      const failure = failures[attempt - 1];
      if (failure) throw failure;
    },
  };
};

const run = async (notifier: Notifier) => {
  const attempts: [number, AttemptOutcome][] = [];
  const sleeps: number[] = [];
  const result = await deliverWithRetry(notifier, notification, {
    retry,
    onAttempt: async (attempt, outcome) => {
      attempts.push([attempt, outcome]);
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    redact: (text) => text.replaceAll('s3cret', '[redacted]'),
  });
  return { attempts, sleeps, result };
};

describe('delivery with retries', () => {
  it('retries what may heal with exponential back-off and reports every attempt', async () => {
    const notifier = failing([
      new DeliveryError('HTTP 503', true),
      new DeliveryError('request failed: ECONNRESET', true),
    ]);
    const { attempts, sleeps, result } = await run(notifier);
    expect(attempts).toEqual([
      [1, { sent: false, error: 'HTTP 503', willRetry: true }],
      [2, { sent: false, error: 'request failed: ECONNRESET', willRetry: true }],
      [3, { sent: true }],
    ]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(notifier.calls).toEqual([1, 2, 3]);
    expect(result).toEqual({ sent: true });
  });

  it('stops at the attempt limit, the last failure saying no retry follows', async () => {
    const { attempts, sleeps } = await run(
      failing(Array.from({ length: 9 }, () => new DeliveryError('HTTP 500', true))),
    );
    expect(attempts.map(([attempt, outcome]) => [attempt, !outcome.sent && outcome.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('does not retry what cannot heal (a 4xx), and redacts secrets from unexpected errors', async () => {
    const { attempts } = await run(failing([new DeliveryError('HTTP 400', false)]));
    expect(attempts).toEqual([[1, { sent: false, error: 'HTTP 400', willRetry: false }]]);
    const odd = await run(failing([new TypeError('bad s3cret'), new DeliveryError('bad s3cret here', true)]));
    expect(odd.attempts[0]![1]).toEqual({ sent: false, error: 'unexpected TypeError', willRetry: true });
    expect(odd.attempts[1]![1]).toEqual({ sent: false, error: 'bad [redacted] here', willRetry: true });
  });
});
