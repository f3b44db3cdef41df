import { alertEventTypes, streamCategories } from '@netpulse/domain';
import { errorSummary } from '../error-summary.js';
import { forEachLimited } from '../observation-window.js';
import type { Reactor, ReactorContext } from '../reactor.js';
import type { Notifier } from './channels/notifier.js';
import { type AttemptOutcome, deliverWithRetry } from './delivery.js';
import { DeviceDirectory } from './device-directory.js';
import { createPlanner, type PlannedFlush } from './grouping.js';
import { type NotificationMetrics, noopNotificationMetrics } from './metrics.js';
import { toNotification } from './notification.js';
import { NotificationBook } from './notification-book.js';
import type { NotificationsConfig } from './notification-config.js';
import { recordAttempt } from './record-attempt.js';

export const NOTIFICATIONS_REACTOR = 'notifications-reactor';

export type NotificationsReactorOptions = Readonly<{
  name?: string;
  config: NotificationsConfig;
  /** By receiver name (createNotifiers). */
  notifiers: ReadonlyMap<string, Notifier>;
  metrics?: NotificationMetrics;
  /** Masks secrets in error text (Secrets.redact). */
  redact?: (text: string) => string;
  /** Waits between retries; tests shorten it. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Notifications delivered at once. */
  concurrency?: number;
  batchSize?: number;
}>;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Alerts → notifications, apart from the projectors so a read-model rebuild never sends anything.
 * Its memory is the NotificationBook, folded from the alert streams (alerts and delivery records),
 * so pending groups survive restarts and a replay from position 0 finds everything already told.
 * Batches only bring the book up to date; the tick, on the injected clock, plans what is due
 * (grouping.ts), sends it with retries and records every attempt on the alerts' streams.
 */
export const createNotificationsReactor = (options: NotificationsReactorOptions): Reactor => {
  const name = options.name ?? NOTIFICATIONS_REACTOR;
  const { config, notifiers } = options;
  const metrics = options.metrics ?? noopNotificationMetrics;
  const redact = options.redact ?? ((text: string) => text);
  const plan = createPlanner(config);
  const redactedSummary = (error: unknown) => {
    const summary = errorSummary(error);
    return { ...summary, message: redact(summary.message) };
  };
  const book = new NotificationBook();
  const devices = new DeviceDirectory();
  let planned: { version: number; nextDueAt: number | null } | null = null;
  let reportedMalformed = 0;

  const refresh = async (context: ReactorContext) => {
    await book.refresh(context.store);
    if (book.malformed > reportedMalformed) {
      context.metrics.eventsSkipped(name, 'malformed', book.malformed - reportedMalformed);
      context.logger.warn({ reactor: name }, 'skipped malformed alert events');
      reportedMalformed = book.malformed;
    }
  };

  const deliver = async (context: ReactorContext, flush: PlannedFlush) => {
    const notifier = notifiers.get(flush.receiver.name);
    if (!notifier) return;
    const notification = toNotification(flush, (alert) => devices.get(alert), config.links?.baseUrl);
    const log = {
      reactor: name,
      notificationId: flush.notificationId,
      receiver: flush.receiver.name,
      channel: notifier.channel,
      alerts: flush.items.length,
      kinds: [...new Set(flush.items.map((item) => item.kind))],
    };
    const onAttempt = async (attempt: number, outcome: AttemptOutcome) => {
      await recordAttempt(context, book, notifier, flush, attempt, outcome, context.clock.now());
      if (outcome.sent) {
        metrics.delivery(notifier.channel, 'sent');
        context.logger.info({ ...log, attempt }, 'notification sent');
      } else {
        metrics.delivery(notifier.channel, outcome.willRetry ? 'retrying' : 'failed');
        context.logger.warn(
          { ...log, attempt, error: outcome.error, willRetry: outcome.willRetry },
          outcome.willRetry
            ? 'notification attempt failed; retrying'
            : 'notification failed; will try again after the group interval',
        );
      }
    };
    await deliverWithRetry(notifier, notification, {
      retry: config.retry,
      onAttempt,
      sleep: options.sleep ?? realSleep,
      random: options.random ?? Math.random,
      redact,
    });
  };

  const flushDue = async (context: ReactorContext) => {
    await refresh(context);
    const now = context.clock.now().getTime();
    // Nothing changed and nothing is due yet: skip routing every held alert again.
    if (planned?.version === book.version && (planned.nextDueAt === null || now < planned.nextDueAt)) return;
    await devices.load(context, book.values());
    const version = book.version;
    const result = plan(book.values(), (alert) => devices.get(alert), now);
    planned = { version, nextDueAt: result.nextDueAt };
    metrics.pendingGroups(result.pendingGroups);
    await forEachLimited(result.due, options.concurrency ?? 8, (flush) =>
      deliver(context, flush).catch((error: unknown) => {
        // Recording failed (the store is unreachable): the group stays due and is planned again.
        planned = null;
        context.logger.warn(
          { reactor: name, notificationId: flush.notificationId, err: redactedSummary(error) },
          'notification could not be recorded; will retry',
        );
      }),
    );
  };

  return {
    name,
    filter: { categories: [streamCategories.alert], eventTypes: alertEventTypes },
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    activate: async (context) => {
      book.reset();
      devices.reset();
      planned = null;
      reportedMalformed = 0;
      await refresh(context);
      context.logger.info({ reactor: name, alerts: book.size }, 'alerts awaiting notification loaded');
    },
    handle: async (_events, context) => {
      await refresh(context);
    },
    tick: { intervalMs: Math.round(config.tickSeconds * 1000), run: flushDue },
  };
};
