import type { NotificationChannelName } from '../metrics.js';
import type { Notification } from '../notification.js';

/** One receiver's way out: sends a notification or throws (a DeliveryError says whether to retry). */
export interface Notifier {
  readonly channel: NotificationChannelName;
  /** Recorded as the notification's target: addresses or the receiver's name, never a URL or key. */
  readonly target: string;
  send(notification: Notification, attempt: number): Promise<void>;
}

/** A failed delivery. Messages are built from fixed words and codes, never from URLs or keys. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Worth another try: timeouts, rate limits and server trouble; other client errors will not heal. */
export const retryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;
