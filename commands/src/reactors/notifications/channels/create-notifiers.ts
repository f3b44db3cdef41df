import type { Clock } from '@netpulse/domain';
import type { MailService } from '@sendgrid/mail';
import type { NotificationsConfig } from '../notification-config.js';
import type { Secrets } from '../secrets.js';
import { createEmailNotifier } from './email-notifier.js';
import type { Notifier } from './notifier.js';
import { createSendGridMailer } from './sendgrid-mailer.js';
import { createSlackNotifier } from './slack-notifier.js';
import { createWebhookNotifier } from './webhook-notifier.js';

export type NotifierSetup = Readonly<{
  config: NotificationsConfig;
  secrets: Secrets;
  clock: Clock;
  sendgridBaseUrl: string;
}>;

/** One notifier per receiver, by receiver name; the SendGrid client only when e-mail is configured. */
export const createNotifiers = (setup: NotifierSetup): ReadonlyMap<string, Notifier> => {
  const { config, secrets, clock } = setup;
  let mailer: MailService | undefined;
  const notifiers = new Map<string, Notifier>();
  for (const receiver of config.receivers) {
    switch (receiver.channel) {
      case 'email':
        mailer ??= createSendGridMailer({
          apiKey: secrets.get(config.sendgrid.apiKeyEnv),
          baseUrl: setup.sendgridBaseUrl,
          timeoutMs: config.sendgrid.timeoutSeconds * 1000,
        });
        notifiers.set(receiver.name, createEmailNotifier({ receiver, mailer }));
        break;
      case 'webhook':
        notifiers.set(
          receiver.name,
          createWebhookNotifier({
            receiver,
            url: receiver.urlEnv ? secrets.get(receiver.urlEnv) : receiver.url!,
            secret: secrets.get(receiver.secretEnv),
            clock,
          }),
        );
        break;
      case 'slack':
        notifiers.set(receiver.name, createSlackNotifier({ receiver, url: secrets.get(receiver.urlEnv) }));
        break;
    }
  }
  return notifiers;
};
