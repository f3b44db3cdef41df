import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { nextMessageFrame } from './next-frame.js';

/** A ws client on loopback and the TCP socket of its server side, where frames are written by hand. */
const connectedPair = async () => {
  const http = createServer();
  const server = new WebSocketServer({ noServer: true });
  const sockets: Socket[] = [];
  http.on('upgrade', (request, socket, head) =>
    server.handleUpgrade(request, socket as Socket, head, () => sockets.push(socket as Socket)),
  );
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  await once(client, 'open');
  while (sockets.length === 0) await new Promise((resolve) => setImmediate(resolve));
  return {
    client,
    raw: sockets[0]!,
    close: async () => {
      client.terminate();
      server.close();
      http.close();
    },
  };
};

describe('a next message frame', () => {
  // Messages of 125 | 126 and 65,535 | 65,536 bytes sit on the edges of the three length encodings;
  // the multi-byte characters make a length counted in characters instead of bytes fail to decode.
  it.each([
    0, 59, 60, 61, 65_469, 65_470, 65_471, 200_000,
  ])('reaches a ws client whole with %i filler characters in its payload', async (filler) => {
    // A pair per message: a frame whose length is misread leaves its client waiting for bytes.
    const pair = await connectedPair();
    onTestFinished(pair.close);
    const prefix = Buffer.from('{"id":"é-1","type":"next","payload":');
    const payload = Buffer.from(JSON.stringify({ data: { s: 'x'.repeat(filler), t: '☕' } }));
    const received = once(pair.client, 'message');
    pair.raw.write(nextMessageFrame(prefix, payload));
    const [data, isBinary] = (await received) as [Buffer, boolean];
    expect(isBinary).toBe(false);
    expect(JSON.parse(data.toString())).toEqual({
      id: 'é-1',
      type: 'next',
      payload: { data: { s: 'x'.repeat(filler), t: '☕' } },
    });
  }, 5_000);
});
