import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';

export type SendGridOptions = Readonly<{
  apiKey: string;
  /** The v3 API's base, `https://api.sendgrid.com/` in production (SENDGRID_API_BASE_URL). */
  baseUrl: string;
  timeoutMs: number;
}>;

/**
 * A SendGrid mail service of its own (not the module's shared singleton), on a client whose default
 * request points at `baseUrl`. The base is set after the key: setting the key resets it to the
 * region's host.
 */
export const createSendGridMailer = (options: SendGridOptions): MailService => {
  const client = new Client();
  client.setApiKey(options.apiKey);
  client.setDefaultRequest('baseUrl', options.baseUrl);
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(options.timeoutMs);
  return mail;
};
