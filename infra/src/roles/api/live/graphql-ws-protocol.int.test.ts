import { once } from 'node:events';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createLiveDeployment,
  eventually,
  type LiveDeployment,
  type LiveProcess,
  liveFieldMetric,
} from './testing/live-deployment.js';

const postgres = await detectPostgres();

type Message = { id?: string; type: string; payload?: unknown };

/** A socket speaking the protocol by hand, recording what the server sends and how it closes. */
const rawSocket = async (url: string, protocol: string | null = 'graphql-transport-ws') => {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, protocol ?? undefined);
  const messages: Message[] = [];
  const closed: { code?: number; reason?: string } = {};
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  ws.on('close', (code, reason) => Object.assign(closed, { code, reason: String(reason) }));
  await once(ws, 'open');
  const send = (message: object | string) =>
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  const init = async () => {
    send({ type: 'connection_init', payload: { authorization: 'Bearer integrator-a' } });
    await eventually(() => messages.some((message) => message.type === 'connection_ack'), 'connection_ack');
  };
  return { ws, messages, closed, send, init };
};

describe.skipIf(!postgres.available)('graphql-transport-ws as the server speaks it', () => {
  let deployment: LiveDeployment;
  let api: LiveProcess;

  beforeAll(async () => {
    deployment = await createLiveDeployment('protocol', { redis: false });
    api = await deployment.startProcess();
    await eventually(() => api.live.publisherActive(), 'the publisher');
  });

  afterAll(async () => {
    await deployment?.dispose();
  });

  it('closes with the protocol’s codes: 4400 a malformed message, 4401 a subscribe before init, 4409 a reused id, 4429 a second init, 4406 no subprotocol', async () => {
    const malformed = await rawSocket(api.url);
    malformed.send('{"type":"subscribe"}');
    await eventually(() => malformed.closed.code !== undefined, 'the close');
    expect(malformed.closed.code).toBe(4400);

    const early = await rawSocket(api.url);
    early.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    await eventually(() => early.closed.code !== undefined, 'the close');
    expect(early.closed.code).toBe(4401);

    const reused = await rawSocket(api.url);
    await reused.init();
    const live = 'subscription { events { eventId } }';
    reused.send({ id: 'same', type: 'subscribe', payload: { query: live } });
    reused.send({ id: 'same', type: 'subscribe', payload: { query: live } });
    await eventually(() => reused.closed.code !== undefined, 'the close');
    expect(reused.closed).toMatchObject({ code: 4409, reason: 'Subscriber for same already exists' });

    const twice = await rawSocket(api.url);
    await twice.init();
    twice.send({ type: 'connection_init' });
    await eventually(() => twice.closed.code !== undefined, 'the close');
    expect(twice.closed.code).toBe(4429);

    // A client offering only other subprotocols fails the handshake itself (none is chosen).
    const bare = await rawSocket(api.url, null);
    await eventually(() => bare.closed.code !== undefined, 'the close');
    expect(bare.closed.code).toBe(4406);
  });

  it('answers ping with pong, queries with next then complete, and a bad document with error', async () => {
    const socket = await rawSocket(api.url);
    await socket.init();
    socket.send({ type: 'ping' });
    socket.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
    socket.send({ id: 'bad', type: 'subscribe', payload: { query: 'subscription { nope }' } });
    await eventually(() => socket.messages.length >= 5, 'five messages');
    expect(socket.messages).toContainEqual({ type: 'pong' });
    const forQuery = socket.messages.filter((message) => message.id === 'q');
    expect(forQuery).toEqual([
      { id: 'q', type: 'next', payload: { data: { __typename: 'Query' } } },
      { id: 'q', type: 'complete' },
    ]);
    const bad = socket.messages.find((message) => message.id === 'bad');
    expect(bad).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'VALIDATION_FAILED' } }] });
    socket.ws.close();
  });

  it('runs a subscription whose field sits in a fragment, and stops sending once the client completes it', async () => {
    const socket = await rawSocket(api.url);
    await socket.init();
    const query = 'subscription Feed { ...F } fragment F on Subscription { events { eventId } }';
    socket.send({ id: 'f', type: 'subscribe', payload: { query, operationName: 'Feed' } });
    await eventually(
      async () => (await liveFieldMetric(api, 'netpulse_live_subscriptions', 'events')) === 1,
      'the subscription',
    );
    await deployment.append('org-a', 'frag-1', 1);
    await eventually(() => socket.messages.some((message) => message.type === 'next'), 'the event');
    socket.send({ id: 'f', type: 'complete' });
    await eventually(
      async () => (await liveFieldMetric(api, 'netpulse_live_subscriptions', 'events')) === 0,
      'the subscription to end',
    );
    await deployment.append('org-a', 'frag-2', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.messages.filter((message) => message.type === 'next')).toHaveLength(1);
    // The id is free again.
    socket.send({ id: 'f', type: 'subscribe', payload: { query: '{ __typename }' } });
    await eventually(() => socket.messages.filter((message) => message.id === 'f').length === 3, 'the query');
    expect(socket.closed.code).toBeUndefined();
    socket.ws.close();
  });
});
