import type { MailService } from '@sendgrid/mail';
import { type EmailReceiver, targetOf } from '../notification-config.js';
import { renderEmail } from '../templates/email-template.js';
import { DeliveryError, type Notifier, retryableStatus } from './notifier.js';

/**
 * SendGrid's failures: a ResponseError carries the HTTP status as a number; a transport error (axios)
 * a string code. Neither message is used, since the request (and its key) hangs off the error.
 */
const sendGridFailure = (error: unknown): DeliveryError => {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return new DeliveryError(`SendGrid HTTP ${code}`, retryableStatus(code));
  if (typeof code === 'string') return new DeliveryError(`SendGrid request failed: ${code}`, true);
  return new DeliveryError('SendGrid request failed', true);
};

/** E-mail through SendGrid: one request, one personalization per address (recipients stay private). */
export const createEmailNotifier = (
  options: Readonly<{ receiver: EmailReceiver; mailer: Pick<MailService, 'send'> }>,
): Notifier => {
  const { receiver, mailer } = options;
  return {
    channel: 'email',
    target: targetOf(receiver),
    send: async (notification) => {
      const { subject, text, html } = renderEmail(notification, receiver.subject);
      try {
        await mailer.send({
          to: [...receiver.to],
          from: receiver.fromName ? { email: receiver.from, name: receiver.fromName } : receiver.from,
          subject,
          text,
          html,
          isMultiple: true,
          customArgs: { notificationId: notification.notificationId },
        });
      } catch (error) {
        throw sendGridFailure(error);
      }
    },
  };
};
