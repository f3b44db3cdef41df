import type { Clock } from '@netpulse/domain';
import type { WebhookReceiver } from '../notification-config.js';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../signature.js';
import { renderWebhookPayload } from '../templates/webhook-payload.js';
import { postJson } from './http-post.js';
import type { Notifier } from './notifier.js';

export const NOTIFICATION_ID_HEADER = 'x-netpulse-notification-id';
export const ATTEMPT_HEADER = 'x-netpulse-attempt';

/**
 * A signed JSON webhook. The notification id header lets a receiver drop a repeat of a delivery it
 * already accepted (a retry after a lost answer, or a replay after a crash before the record).
 */
export const createWebhookNotifier = (
  options: Readonly<{ receiver: WebhookReceiver; url: string; secret: string; clock: Clock }>,
): Notifier => {
  const { receiver, url, secret, clock } = options;
  return {
    channel: 'webhook',
    target: receiver.name,
    send: async (notification, attempt) => {
      const body = JSON.stringify(renderWebhookPayload(notification));
      const timestamp = Math.floor(clock.now().getTime() / 1000);
      await postJson(
        url,
        body,
        {
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          [NOTIFICATION_ID_HEADER]: notification.notificationId,
          [ATTEMPT_HEADER]: String(attempt),
        },
        receiver.timeoutSeconds * 1000,
      );
    },
  };
};
