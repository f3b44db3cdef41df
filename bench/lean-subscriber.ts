/**
 * One fan-out subscriber speaking graphql-transport-ws itself over `ws`, for the api benchmark.
 * On two cores the subscribers share the machine with the server they measure, and graphql-ws's
 * client spent about 40 % of the subscriber processes' CPU on each message (parsing it whole,
 * validating it, an event-emitter hop and a DOM-style event per message: `npm run bench -- api
 * --fanout-only` with BENCH_SUBSCRIBER_NODE_ARGS='--cpu-prof …'). Like an HTTP load generator that
 * does not parse bodies, this client reads only what it measures: a `next` for its subscription
 * is recognised by the message prefix the protocol fixes, and its send time by the `at` field.
 * Anything else (the handshake, pings, errors, a `next` in another form) is parsed and handled
 * in full. `--graphql-ws-client 1` measures with graphql-ws's client instead.
 */
import WebSocket from 'ws';

export type LeanSubscriber = Readonly<{ close(): Promise<void> }>;

type Handlers = Readonly<{
  connected(): void;
  /** A delivery of the subscription: the send time its payload carries (epoch ms), or NaN. */
  next(sentAtMs: number): void;
  error(reason: string): void;
}>;

const SUBSCRIPTION_ID = '1';
const NEXT_PREFIX = `{"id":"${SUBSCRIPTION_ID}","type":"next","payload":`;
const AT = '"at":"';

const sentAt = (text: string): number => {
  const start = text.indexOf(AT, NEXT_PREFIX.length);
  if (start < 0) return Number.NaN;
  const from = start + AT.length;
  return Date.parse(text.slice(from, text.indexOf('"', from)));
};

export const leanSubscriber = (
  url: string,
  token: string,
  query: string,
  handlers: Handlers,
): LeanSubscriber => {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  let closing = false;
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: token } })),
  );
  socket.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith(NEXT_PREFIX)) {
      handlers.next(sentAt(text));
      return;
    }
    const message = JSON.parse(text) as {
      type?: string;
      id?: string;
      payload?: { data?: { deviceStatusChanged?: { at?: string } } };
    };
    switch (message.type) {
      case 'connection_ack':
        handlers.connected();
        socket.send(JSON.stringify({ id: SUBSCRIPTION_ID, type: 'subscribe', payload: { query } }));
        return;
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'pong':
        return;
      case 'next':
        if (message.id === SUBSCRIPTION_ID) {
          handlers.next(Date.parse(message.payload?.data?.deviceStatusChanged?.at ?? ''));
          return;
        }
        break;
      default:
        break;
    }
    handlers.error(`unexpected message: ${text.slice(0, 200)}`);
  });
  socket.on('error', (error) => handlers.error(error.message));
  socket.on('close', (code, reason) => {
    if (!closing) handlers.error(`closed ${code} ${reason.toString()}`);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
  };
};
