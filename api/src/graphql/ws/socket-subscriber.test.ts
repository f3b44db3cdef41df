import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { SocketSubscriber, type SubscriberEnd } from './socket-subscriber.js';
import { SerializedPayload } from './subscription-groups.js';

/** The parts of a `ws` socket a subscriber uses; the test sets how much is still unsent. */
const fakeSocket = (extensions = '') => {
  const sent: string[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    extensions,
    send: (frame: string, done?: () => void) => {
      sent.push(frame);
      if (done) setImmediate(done);
    },
  };
  return { socket, sent, ws: socket as unknown as WebSocket };
};

const limits = { queueLimit: 3, maxBufferedBytes: 1_000 };

/** The TCP socket under a WebSocket: counts corks, keeps the frames written to it. */
const frameTransport = () => ({
  corks: 0,
  uncorks: 0,
  frames: [] as Buffer[],
  cork() {
    this.corks += 1;
  },
  uncork() {
    this.uncorks += 1;
  },
  write(frame: Uint8Array) {
    this.frames.push(Buffer.from(frame));
    return true;
  },
});

/** A subscriber on `ws` and the ends it reported. */
const subscriberOn = (ws: WebSocket, id: string, paced = false) => {
  const ends: SubscriberEnd[] = [];
  const subscriber = new SocketSubscriber(ws, id, { paced, limits, onEnd: (end) => ends.push(end) });
  return { subscriber, ends };
};

describe('a socket subscriber', () => {
  it('writes each payload in a next frame carrying its id', () => {
    const { ws, sent } = fakeSocket();
    const { subscriber } = subscriberOn(ws, 'sub "1"');
    subscriber.deliver(new SerializedPayload('{"data":{"n":1}}'));
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([
      { id: 'sub "1"', type: 'next', payload: { data: { n: 1 } } },
    ]);
  });

  it('is ended as slow only when both its unread messages and its unsent bytes are past their limits', () => {
    const { ws, socket, sent } = fakeSocket();
    const { subscriber, ends } = subscriberOn(ws, 's');
    // Many bytes but few messages (one burst of large events): not slow.
    socket.bufferedAmount = 5_000;
    for (let i = 0; i < 3; i++) subscriber.deliver(new SerializedPayload('{}'));
    expect(ends).toEqual([]);
    // The client read everything: the count starts again.
    socket.bufferedAmount = 0;
    subscriber.deliver(new SerializedPayload('{}'));
    socket.bufferedAmount = 5_000;
    subscriber.deliver(new SerializedPayload('{}'));
    subscriber.deliver(new SerializedPayload('{}'));
    expect(ends).toEqual([]);
    subscriber.deliver(new SerializedPayload('{}'));
    expect(ends).toEqual([{ kind: 'slow', queued: 3 }]);
    expect(sent).toHaveLength(6);
    subscriber.deliver(new SerializedPayload('{}'));
    expect(sent).toHaveLength(6);
  });

  it('holds a shared subscriber’s writes for the rest of the turn, so a burst leaves in one write', async () => {
    const { ws, sent } = fakeSocket();
    const transport = frameTransport();
    const subscriber = new SocketSubscriber(ws, 's', { paced: false, limits, transport, onEnd: () => {} });
    subscriber.deliver(new SerializedPayload('{"n":1}'));
    subscriber.deliver(new SerializedPayload('{"n":2}'));
    expect(transport.frames).toHaveLength(2);
    expect(sent).toEqual([]);
    expect([transport.corks, transport.uncorks]).toEqual([1, 0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([transport.corks, transport.uncorks]).toEqual([1, 1]);
    subscriber.deliver(new SerializedPayload('{"n":3}'));
    expect(transport.corks).toBe(2);
  });

  it('writes a shared delivery as a whole text frame of its own, the message ws would have sent', () => {
    const { ws } = fakeSocket();
    const transport = frameTransport();
    const subscriber = new SocketSubscriber(ws, 'sub-é', {
      paced: false,
      limits,
      transport,
      onEnd: () => {},
    });
    subscriber.deliver(new SerializedPayload('{"data":{"name":"café ☕"}}'));
    const [frame] = transport.frames;
    expect(frame![0]).toBe(0x81);
    expect(frame![1]).toBe(frame!.length - 2);
    expect(JSON.parse(frame!.subarray(2).toString())).toEqual({
      id: 'sub-é',
      type: 'next',
      payload: { data: { name: 'café ☕' } },
    });
  });

  it('leaves the framing to ws when ws compresses the socket’s messages', () => {
    const { ws, sent } = fakeSocket('permessage-deflate; client_max_window_bits=15');
    const transport = frameTransport();
    const subscriber = new SocketSubscriber(ws, 's', { paced: false, limits, transport, onEnd: () => {} });
    subscriber.deliver(new SerializedPayload('{"n":1}'));
    expect(transport.frames).toEqual([]);
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([{ id: 's', type: 'next', payload: { n: 1 } }]);
  });

  it('paces its stream by the socket when it runs alone', async () => {
    const { ws, sent } = fakeSocket();
    const { subscriber } = subscriberOn(ws, 's', true);
    const taken = subscriber.deliver(new SerializedPayload('{}'));
    expect(taken).toBeInstanceOf(Promise);
    await taken;
    expect(sent).toHaveLength(1);
  });

  it('ends once, whatever ends it, and writes nothing to a closed socket', () => {
    const { ws, socket, sent } = fakeSocket();
    const { subscriber, ends } = subscriberOn(ws, 's');
    subscriber.ended(null);
    subscriber.finish({ kind: 'cancelled' });
    expect(ends).toEqual([{ kind: 'completed' }]);
    const { subscriber: other } = subscriberOn(ws, 't');
    socket.readyState = 3;
    other.deliver(new SerializedPayload('{}'));
    expect(sent).toEqual([]);
  });
});
