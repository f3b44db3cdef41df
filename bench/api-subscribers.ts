/**
 * A child process of `api.bench.ts` holding a share of the fan-out subscribers, so the clients'
 * work (one WebSocket each) is spread over processes like real dashboards are, instead of one event
 * loop timing itself. Delivery latency (client receipt minus the send time the event carries) is
 * counted in 1 ms buckets.
 *
 * Two kinds of client: `lean` speaks graphql-transport-ws by hand on `ws` (init, subscribe, parse each
 * `next`), as autocannon is a lean HTTP client, so that the clients, which share this machine's two
 * cores with the server (real dashboards run elsewhere), take as little of them as a client can;
 * `library` is the graphql-ws client every integrator uses, to compare.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

type Start = { url: string; token: string; count: number; query: string; client: 'lean' | 'library' };
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

type StatusMessage = { deviceStatusChanged?: { at?: string } } | null | undefined;

/** Counts one received status change, when it was sent inside the window. */
const received = (data: StatusMessage) => {
  const at = data?.deviceStatusChanged?.at;
  if (!at) return;
  const sentAt = Date.parse(at);
  if (sentAt < window.from || sentAt >= window.to) return;
  delivered += 1;
  buckets[Math.min(MAX_MS, Math.max(0, Date.now() - sentAt))]! += 1;
};

const leanSockets: WebSocket[] = [];

/** graphql-transport-ws by hand: connection_init, subscribe once acknowledged, then each `next`. */
const leanSubscriber = (url: string, token: string, query: string, onReady: () => void) => {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: token } })),
  );
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as { type: string; payload?: { data?: StatusMessage } };
    if (message.type === 'next') return received(message.payload?.data);
    if (message.type === 'ping') return socket.send('{"type":"pong"}');
    if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      return onReady();
    }
    if (message.type === 'error') errors += 1;
  });
  socket.on('error', () => {
    errors += 1;
  });
  leanSockets.push(socket);
};

const start = async ({ url, token, count, query, client: kind }: Start) => {
  let connected = 0;
  for (let i = 0; i < count; i++) {
    if (kind === 'lean') {
      leanSubscriber(url, token, query, () => {
        connected += 1;
      });
      if (i % 50 === 49) await sleep(20);
      continue;
    }
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
        next: (message) => received(message.data),
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
  else if (command.kind === 'stop') {
    for (const socket of leanSockets) socket.close();
    void Promise.all(clients.map((client) => client.dispose())).finally(() => process.exit(0));
  }
});
