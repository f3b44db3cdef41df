/**
 * A child process of `api.bench.ts` holding a share of the fan-out subscribers, so the clients'
 * work (one WebSocket each, a lean graphql-transport-ws client or graphql-ws's) is spread over
 * processes like real dashboards are, instead of one event loop timing itself. Delivery latency (client receipt minus the send time the
 * event carries) is counted in 1 ms buckets.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { leanSubscriber } from './lean-subscriber.ts';

type Start = {
  url: string;
  token: string;
  count: number;
  query: string;
  /** graphql-ws's client instead of the lean one (bench/lean-subscriber.ts). */
  graphqlWsClient: boolean;
};
type Command =
  | { kind: 'start'; start: Start }
  | { kind: 'window'; from: number; to: number }
  | { kind: 'report' }
  | { kind: 'stop' };

const MAX_MS = 60_000;
const buckets = new Uint32Array(MAX_MS + 1);
/** Events sent in this window (by their send time) are counted, however late they arrive. */
let window = { from: Number.POSITIVE_INFINITY, to: Number.NEGATIVE_INFINITY };
let delivered = 0;
let errors = 0;
const closers: Array<() => Promise<void>> = [];
const send = (message: object) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const received = (sentAt: number) => {
  if (Number.isNaN(sentAt)) {
    errors += 1;
    return;
  }
  if (sentAt < window.from || sentAt >= window.to) return;
  delivered += 1;
  buckets[Math.min(MAX_MS, Math.max(0, Date.now() - sentAt))]! += 1;
};

const graphqlWsSubscriber = (start: Start, connected: () => void) => {
  const client: Client = createClient({
    url: `${start.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: start.token },
    retryAttempts: 0,
    lazy: true,
    on: { connected },
  });
  client.subscribe<{ deviceStatusChanged: { at: string } }>(
    { query: start.query },
    {
      next: (message) => {
        const at = message.data?.deviceStatusChanged.at;
        if (at) received(Date.parse(at));
      },
      error: () => {
        errors += 1;
      },
      complete: () => {},
    },
  );
  return async () => {
    await client.dispose();
  };
};

const start = async (start: Start) => {
  let connected = 0;
  const onConnected = () => {
    connected += 1;
  };
  for (let i = 0; i < start.count; i++) {
    if (start.graphqlWsClient) closers.push(graphqlWsSubscriber(start, onConnected));
    else {
      const subscriber = leanSubscriber(start.url, start.token, start.query, {
        connected: onConnected,
        next: received,
        error: () => {
          errors += 1;
        },
      });
      closers.push(() => subscriber.close());
    }
    if (i % 50 === 49) await sleep(20);
  }
  const deadline = Date.now() + 60_000;
  while (connected < start.count && Date.now() < deadline) await sleep(50);
  send({ kind: 'ready', connected });
};

process.on('message', (command: Command) => {
  if (command.kind === 'start') void start(command.start);
  else if (command.kind === 'window') window = { from: command.from, to: command.to };
  else if (command.kind === 'report')
    send({ kind: 'report', buckets: Array.from(buckets), delivered, errors });
  else if (command.kind === 'stop')
    void Promise.all(closers.map((close) => close())).finally(() => process.exit(0));
});
