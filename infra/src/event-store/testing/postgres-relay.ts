import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay on a loopback port in front of the PostgreSQL service, for tests that need the real
 * store to lose its database. Nothing about the store is faked: only the network path between it
 * and PostgreSQL is cut.
 *  - `down()` cuts every connection and closes the port: the driver sees connections terminated
 *    and then `ECONNREFUSED`, as when the database host goes away;
 *  - `loseAcks()` lets writes through but cuts the connection when a write transaction has
 *    committed, before the client hears so (the acknowledgement is lost; the rows are stored);
 *  - `up()` relays normally again, on the same port.
 * The relay follows the PostgreSQL wire protocol only far enough to find statements (Query, Parse)
 * and the end of each exchange (ReadyForQuery and its transaction status).
 */
export type PostgresRelay = Readonly<{
  /** The target connection string with its host and port replaced by the relay's. */
  connectionString: string;
  down(): Promise<void>;
  loseAcks(): Promise<void>;
  up(): Promise<void>;
  /** Commits whose acknowledgement was withheld so far. */
  readonly acksLost: number;
  close(): Promise<void>;
}>;

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const WRITE = /\binsert\s+into\b/i;
const byte = (char: string) => char.charCodeAt(0);

export const startPostgresRelay = async (target: string): Promise<PostgresRelay> => {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error('the relay needs a TCP host in the connection string, not a socket path');
  const port = Number(url.port || 5432);
  const sockets = new Set<Socket>();
  let mode: 'up' | 'ack-lost' = 'up';
  let acksLost = 0;

  const relay = (client: Socket) => {
    const upstream = connect({ host, port });
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);

    let started = false; // past the untyped startup message
    let negotiations = 0; // SSL/GSS requests awaiting their one-byte answer
    let opaque = false; // encrypted: relayed without looking
    let writing = false; // a statement that writes has been sent; its transaction is not over
    let failed = false; // that transaction hit an error: it will not commit
    let fromClient = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);
    let held: Buffer[] = [];

    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (opaque) return;
      fromClient = Buffer.concat([fromClient, chunk]);
      for (;;) {
        if (!started) {
          if (fromClient.length < 8) return;
          const length = fromClient.readInt32BE(0);
          if (fromClient.length < length) return;
          const code = fromClient.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) negotiations += 1;
          else started = true;
          fromClient = fromClient.subarray(length);
          continue;
        }
        if (fromClient.length < 5) return;
        const length = fromClient.readInt32BE(1);
        if (fromClient.length < 1 + length) return;
        const type = fromClient[0];
        if (
          (type === byte('Q') || type === byte('P')) &&
          WRITE.test(fromClient.toString('utf8', 5, 1 + length))
        )
          writing = true;
        fromClient = fromClient.subarray(1 + length);
      }
    });

    upstream.on('data', (chunk: Buffer) => {
      if (opaque) {
        client.write(chunk);
        return;
      }
      fromServer = Buffer.concat([fromServer, chunk]);
      for (;;) {
        if (negotiations > 0) {
          if (fromServer.length < 1) return;
          const answer = fromServer[0];
          client.write(fromServer.subarray(0, 1));
          fromServer = fromServer.subarray(1);
          negotiations -= 1;
          if (answer === byte('S') || answer === byte('G')) {
            opaque = true;
            if (fromServer.length > 0) client.write(fromServer);
            return;
          }
          continue;
        }
        if (fromServer.length < 5) return;
        const length = fromServer.readInt32BE(1);
        if (fromServer.length < 1 + length) return;
        const message = fromServer.subarray(0, 1 + length);
        fromServer = fromServer.subarray(1 + length);
        if (!writing) {
          client.write(message);
          continue;
        }
        // Replies to a write wait until the exchange ends, to be delivered or withheld as a whole.
        held.push(message);
        if (message[0] === byte('E')) failed = true;
        if (message[0] !== byte('Z')) continue;
        const idle = message[5] === byte('I');
        if (idle && !failed && mode === 'ack-lost') {
          // Committed (no transaction is open any more), and the client never hears it.
          acksLost += 1;
          cut();
          return;
        }
        for (const reply of held) client.write(reply);
        held = [];
        if (idle) {
          writing = false;
          failed = false;
        }
      }
    });
  };

  const server = createServer(relay);
  const listen = (at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });

  const relayPort = await listen(0);
  const relayed = new URL(target);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(relayPort);

  const down = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };
  const open = async () => {
    if (!server.listening) await listen(relayPort);
  };

  return {
    connectionString: relayed.toString(),
    down,
    loseAcks: async () => {
      mode = 'ack-lost';
      await open();
    },
    up: async () => {
      mode = 'up';
      await open();
    },
    get acksLost() {
      return acksLost;
    },
    close: down,
  };
};
