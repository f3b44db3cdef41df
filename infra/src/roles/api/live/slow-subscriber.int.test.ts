import { once } from 'node:events';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collectSubscription, graphqlWsClient } from '../../../testing/graphql-client.js';
import {
  createLiveDeployment,
  detectRedis,
  eventually,
  type LiveDeployment,
  type LiveProcess,
  liveFieldMetric,
} from './testing/live-deployment.js';

const postgres = await detectPostgres();
const redis = await detectRedis();

type Message = { id?: string; type: string; payload?: unknown };
type ErrorPayload = { message: string; extensions?: { code?: string; limit?: number } }[];

/**
 * A graphql-transport-ws client speaking the protocol by hand, so the test can stop reading its
 * socket the way a stalled client does (`pause`): the server's writes back up behind it.
 */
const rawSubscriber = async (url: string, authorization: string, query: string) => {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
  await eventually(() => messages.some((message) => message.type === 'connection_ack'), 'connection_ack');
  ws.send(JSON.stringify({ id: 'slow', type: 'subscribe', payload: { query } }));
  return { ws, messages };
};

const EVENTS = 'subscription { events { eventId data } }';
/** Above the bursts the feed delivers at once (a publisher batch), so only a stalled client overflows. */
const QUEUE_LIMIT = 200;

describe.skipIf(!postgres.available || !redis.available)('a subscriber that cannot keep up', () => {
  let deployment: LiveDeployment;
  let api: LiveProcess;

  beforeAll(async () => {
    deployment = await createLiveDeployment('slow', { redis: true, queueLimit: QUEUE_LIMIT });
    api = await deployment.startProcess();
    await eventually(() => api.live.publisherActive(), 'the publisher');
  });

  afterAll(async () => {
    await deployment?.dispose();
  });

  it('is closed with SLOW_CONSUMER while the other subscribers keep receiving everything', async () => {
    const client = graphqlWsClient(api.url, 'Bearer integrator-a');
    const fast = collectSubscription<{ events: { eventId: string } }>(client, EVENTS);
    const slow = await rawSubscriber(api.url, 'Bearer integrator-a', EVENTS);
    try {
      await eventually(
        () => liveFieldMetric(api, 'netpulse_live_subscriptions', 'events').then((open) => open === 2),
        'both subscribed',
      );
      await deployment.append('org-a', 'slow-warmup', 1);
      await eventually(
        () => slow.messages.some((message) => message.type === 'next'),
        'the slow client to start',
      );
      await eventually(() => fast.received.length === 1, 'the fast client to start');

      // The slow client stops reading; large events fill the socket buffers quickly.
      slow.ws.pause();
      const padding = 'x'.repeat(16_384);
      const total = 1_200;
      for (let batch = 0; batch < total / 20; batch++)
        await deployment.append('org-a', `slow-${batch}`, 20, { padding });

      await eventually(
        () => fast.received.length === total + 1,
        'the fast client to receive everything',
        60_000,
      );
      await eventually(
        () =>
          liveFieldMetric(api, 'netpulse_live_slow_consumers_closed_total', 'events').then(
            (closed) => closed === 1,
          ),
        'the slow subscriber to be closed',
      );
      expect(await liveFieldMetric(api, 'netpulse_live_subscriptions', 'events')).toBe(1);

      // Once it reads again, the slow client learns why its subscription ended.
      slow.ws.resume();
      await eventually(() => slow.messages.some((message) => message.type === 'error'), 'the error message');
      const error = slow.messages.find((message) => message.type === 'error')!;
      expect(error.id).toBe('slow');
      const [reason] = error.payload as ErrorPayload;
      expect(reason?.extensions).toMatchObject({ code: 'SLOW_CONSUMER', limit: QUEUE_LIMIT });
      expect(reason?.message).toMatch(/fell behind/);
      const delivered = slow.messages.filter((message) => message.type === 'next').length;
      expect(delivered).toBeLessThan(total);

      // Its subscription is over; the fast one goes on.
      await deployment.append('org-a', 'slow-after', 1);
      await eventually(() => fast.received.length === total + 2, 'the fast client to receive one more');
      expect(slow.messages.filter((message) => message.type === 'next')).toHaveLength(delivered);
      expect(fast.received.every((message) => message.errors === undefined)).toBe(true);
    } finally {
      fast.unsubscribe();
      await client.dispose();
      slow.ws.terminate();
    }
  }, 120_000);
});
