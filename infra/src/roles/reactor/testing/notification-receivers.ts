import { createServer, type IncomingHttpHeaders } from 'node:http';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '@netpulse/commands';
import { freePort } from '@netpulse/testing';

export type ReceivedRequest = Readonly<{
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  /** For webhooks: whether the HMAC signature checked out against the shared secret. */
  signatureValid: boolean | null;
}>;

/**
 * One loopback HTTP server playing every receiver: the SendGrid v3 endpoint (`POST /v3/mail/send`,
 * answering 202 like SendGrid), webhooks under `/hooks/<name>` (signature verified with the shared
 * secret against the test's clock), and Slack-style webhooks under `/services/...`. A path can be
 * told to answer with given statuses first (a receiver that fails, then recovers).
 */
export const startNotificationReceivers = async (
  options: Readonly<{ webhookSecret: string; nowSeconds: () => number }>,
) => {
  const requests: ReceivedRequest[] = [];
  const scripted = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const signatureValid = path.startsWith('/hooks/')
        ? verifyWebhookSignature(
            options.webhookSecret,
            {
              timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
              signature: req.headers[SIGNATURE_HEADER] as string | undefined,
            },
            body,
            { nowSeconds: options.nowSeconds() },
          )
        : null;
      requests.push({ method: req.method ?? '', path, headers: req.headers, body, json, signatureValid });
      const status =
        scripted.get(path)?.shift() ??
        (path === '/v3/mail/send' ? 202 : signatureValid === false ? 401 : 200);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 202 ? '' : '{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    requests,
    to: (path: string) => requests.filter((request) => request.path === path),
    /** The next requests to `path` get these statuses, in order; then the usual answer again. */
    answer: (path: string, statuses: readonly number[]) => scripted.set(path, [...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type NotificationReceivers = Awaited<ReturnType<typeof startNotificationReceivers>>;
