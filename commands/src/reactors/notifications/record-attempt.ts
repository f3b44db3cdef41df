import { deterministicId } from '@netpulse/domain';
import { type Cause, reactorMetadata } from '../cause.js';
import type { ReactorContext } from '../reactor.js';
import { alertSweepTarget } from '../targets.js';
import type { Notifier } from './channels/notifier.js';
import type { AttemptOutcome } from './delivery.js';
import type { PlannedFlush } from './grouping.js';
import type { NotificationBook } from './notification-book.js';

/**
 * Records one attempt on the stream of every alert the notification carried (RecordNotification:
 * NotificationSent or NotificationFailed). The command id derives from the item's cause, the
 * notification and the attempt, so recording the same attempt again appends nothing. The record is
 * applied to the book at once, before any read can show it.
 */
export const recordAttempt = async (
  context: ReactorContext,
  book: NotificationBook,
  notifier: Notifier,
  flush: PlannedFlush,
  attempt: number,
  outcome: AttemptOutcome,
  at: Date,
): Promise<void> => {
  await Promise.all(
    flush.items.map(async ({ alert, kind, cause: moment }) => {
      const cause: Cause = {
        eventId: moment.eventId,
        correlationId: alert.correlationId,
        organizationId: alert.organizationId,
      };
      const purpose = `notify:${flush.notificationId}:${alert.alertId}:${attempt}`;
      const notification = {
        alertId: alert.alertId,
        notificationId: flush.notificationId,
        channel: notifier.channel,
        target: notifier.target,
        kind,
        attempt,
      };
      // Recording is decided on the wall clock (like escalations): staleness against the alert's
      // event times does not apply.
      const { outcome: recorded } = await context.send({
        target: alertSweepTarget(alert.alertKey),
        cause,
        purpose,
        command: { type: 'RecordNotification', data: { ...notification, outcome } },
        now: at,
      });
      if (recorded === 'rejected') return;
      const id = deterministicId(reactorMetadata(context.reactorName, cause, purpose, at).commandId, 0);
      const metadata = { organizationId: alert.organizationId, correlationId: alert.correlationId };
      book.apply(
        outcome.sent
          ? {
              type: 'NotificationSent',
              id,
              streamId: alert.streamId,
              metadata,
              data: { ...notification, sentAt: at.toISOString() },
            }
          : {
              type: 'NotificationFailed',
              id,
              streamId: alert.streamId,
              metadata,
              data: {
                ...notification,
                error: outcome.error,
                willRetry: outcome.willRetry,
                failedAt: at.toISOString(),
              },
            },
      );
    }),
  );
};
