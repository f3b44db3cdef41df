import { createNotificationsReactor, createNotifiers, type Reactor } from '@netpulse/commands';
import type { Clock } from '@netpulse/domain';
import type { Registry } from 'prom-client';
import { createNotificationMetrics } from './notification-metrics.js';
import type { NotificationsSetup } from './notifications-config.js';

/** The notifications reactor with its channels, secrets (redacted from errors) and metrics. */
export const configuredNotificationsReactor = (
  setup: NotificationsSetup,
  deps: Readonly<{ clock: Clock; registry: Registry }>,
): Reactor => {
  const { config, secrets, sendgridBaseUrl } = setup;
  return createNotificationsReactor({
    config,
    notifiers: createNotifiers({ config, secrets, clock: deps.clock, sendgridBaseUrl }),
    metrics: createNotificationMetrics(deps.registry),
    redact: (text) => secrets.redact(text),
  });
};
