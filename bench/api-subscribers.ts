/**
 * A child process of `api.bench.ts` holding a share of the fan-out subscribers, so the clients'
 * work (one WebSocket, one graphql-ws client each) is spread over processes like real dashboards
 * are, instead of one event loop timing itself. Delivery latency (client receipt minus the send time the
 * event carries) is counted in 1 ms buckets.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

type Start = { url: string; token: string; count: number; query: string };
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
const clients: Client[] = [];
const send = (message: object) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const start = async ({ url, token, count, query }: Start) => {
  let connected = 0;
  for (let i = 0; i < count; i++) {
    const client = createClient({
      url: `${url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: token },
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => {
          connected += 1;
        },
      },
    });
    client.subscribe<{ deviceStatusChanged: { at: string } }>(
      { query },
      {
        next: (message) => {
          const at = message.data?.deviceStatusChanged.at;
          if (!at) return;
          const sentAt = Date.parse(at);
          if (sentAt < window.from || sentAt >= window.to) return;
          delivered += 1;
          buckets[Math.min(MAX_MS, Math.max(0, Date.now() - sentAt))]! += 1;
        },
        error: () => {
          errors += 1;
        },
        complete: () => {},
      },
    );
    clients.push(client);
    if (i % 50 === 49) await sleep(20);
  }
  const deadline = Date.now() + 60_000;
  while (connected < count && Date.now() < deadline) await sleep(50);
  send({ kind: 'ready', connected });
};

process.on('message', (command: Command) => {
  if (command.kind === 'start') void start(command.start);
  else if (command.kind === 'window') window = { from: command.from, to: command.to };
  else if (command.kind === 'report')
    send({ kind: 'report', buckets: Array.from(buckets), delivered, errors });
  else if (command.kind === 'stop')
    void Promise.all(clients.map((client) => client.dispose())).finally(() => process.exit(0));
});
