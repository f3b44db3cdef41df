import type { NotificationChannel } from '@netpulse/domain';
import type { z } from 'zod';

export type NotificationChannelName = z.infer<typeof NotificationChannel>;

/** `retrying`: an attempt failed and another follows; `failed`: the last attempt of a notification failed. */
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed';

/** What the notifications reactor reports; infra implements it with prom-client. */
export interface NotificationMetrics {
  delivery(channel: NotificationChannelName, outcome: DeliveryOutcome): void;
  pendingGroups(count: number): void;
}

export const noopNotificationMetrics: NotificationMetrics = {
  delivery: () => {},
  pendingGroups: () => {},
};
