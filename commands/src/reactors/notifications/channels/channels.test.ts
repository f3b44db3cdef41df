import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../notification.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../signature.js';
import { createEmailNotifier } from './email-notifier.js';
import { postJson } from './http-post.js';
import { DeliveryError } from './notifier.js';
import { createSlackNotifier } from './slack-notifier.js';
import { createWebhookNotifier } from './webhook-notifier.js';

type Seen = { url: string; headers: IncomingHttpHeaders; body: string };

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      const status = Number(req.url?.split('/')[1] ?? 200);
      res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/' } : {});
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const { message, retryable } = error as DeliveryError;
  return { message, retryable };
};

const notification = {
  notificationId: 'n-42',
  receiver: 'r',
  organizationId: 'acme',
  groupKey: 'g',
  groupLabels: { organization: 'acme' },
  status: 'firing',
  severity: 'major',
  alerts: [],
} as unknown as Notification;

describe('HTTP delivery', () => {
  it('accepts 2xx and sorts failures into retryable (5xx, 429, 408, network) and final (4xx, redirects)', async () => {
    await expect(postJson(`${base}/204`, '{}', {}, 2000)).resolves.toBeUndefined();
    expect(await failure(postJson(`${base}/503`, '{}', {}, 2000))).toEqual({
      message: 'HTTP 503',
      retryable: true,
    });
    expect(await failure(postJson(`${base}/429`, '{}', {}, 2000))).toEqual({
      message: 'HTTP 429',
      retryable: true,
    });
    expect(await failure(postJson(`${base}/400`, '{}', {}, 2000))).toEqual({
      message: 'HTTP 400',
      retryable: false,
    });
    expect(await failure(postJson(`${base}/302`, '{}', {}, 2000))).toEqual({
      message: 'HTTP 302',
      retryable: false,
    });
    const closed = await freePort();
    expect(await failure(postJson(`http://127.0.0.1:${closed}/x`, '{}', {}, 2000))).toEqual({
      message: 'request failed: ECONNREFUSED',
      retryable: true,
    });
  });

  it('never puts the URL (a chat webhook secret) into its error', async () => {
    const closed = await freePort();
    const { message } = await failure(
      createSlackNotifier({
        receiver: { name: 'chat', channel: 'slack', urlEnv: 'X', timeoutSeconds: 1 },
        url: `http://127.0.0.1:${closed}/services/T0/B0/very-secret-token`,
      }).send(notification, 1),
    );
    expect(message).not.toContain('very-secret-token');
    expect(message).not.toContain(String(closed));
  });

  it('signs webhooks over timestamp and body with the injected clock, and names the notification', async () => {
    const now = Date.parse('2025-06-01T12:00:00.000Z');
    const notifier = createWebhookNotifier({
      receiver: { name: 'hook', channel: 'webhook', url: `${base}/200`, secretEnv: 'S', timeoutSeconds: 2 },
      url: `${base}/200`,
      secret: 'whsec-1',
      clock: { now: () => new Date(now) },
    });
    await notifier.send(notification, 3);
    const request = seen.at(-1)!;
    expect(request.headers[TIMESTAMP_HEADER]).toBe(String(now / 1000));
    expect(request.headers['x-netpulse-notification-id']).toBe('n-42');
    expect(request.headers['x-netpulse-attempt']).toBe('3');
    expect(request.headers['content-type']).toBe('application/json');
    const headers = {
      timestamp: request.headers[TIMESTAMP_HEADER] as string,
      signature: request.headers[SIGNATURE_HEADER] as string,
    };
    expect(verifyWebhookSignature('whsec-1', headers, request.body, { nowSeconds: now / 1000 })).toBe(true);
    expect(verifyWebhookSignature('other', headers, request.body, { nowSeconds: now / 1000 })).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({
      version: '1',
      notificationId: 'n-42',
      status: 'firing',
    });
  });
});

describe('e-mail delivery', () => {
  const receiver = {
    name: 'noc',
    channel: 'email' as const,
    to: ['noc@example.test'],
    from: 'np@example.test',
    fromName: 'NetPulse',
  };

  it('maps SendGrid failures by status, and transport failures as retryable, without their messages', async () => {
    const rejecting = (error: unknown) =>
      createEmailNotifier({ receiver, mailer: { send: () => Promise.reject(error) } });
    const responseError = Object.assign(new Error('Bad Request'), {
      code: 400,
      response: { body: 'key SG.x' },
    });
    expect(await failure(rejecting(responseError).send(notification, 1))).toEqual({
      message: 'SendGrid HTTP 400',
      retryable: false,
    });
    expect(
      await failure(rejecting(Object.assign(new Error('x'), { code: 502 })).send(notification, 1)),
    ).toEqual({
      message: 'SendGrid HTTP 502',
      retryable: true,
    });
    expect(
      await failure(
        rejecting(Object.assign(new Error('connect to 10.0.0.1 with SG.key'), { code: 'ECONNREFUSED' })).send(
          notification,
          1,
        ),
      ),
    ).toEqual({ message: 'SendGrid request failed: ECONNREFUSED', retryable: true });
  });
});
