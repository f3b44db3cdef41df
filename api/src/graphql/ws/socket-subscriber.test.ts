import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { SocketSubscriber, type SubscriberEnd } from './socket-subscriber.js';

/** The parts of a `ws` socket a subscriber uses; the test sets how much is still unsent. */
const fakeSocket = () => {
  const sent: string[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (frame: string, done?: () => void) => {
      sent.push(frame);
      if (done) setImmediate(done);
    },
  };
  return { socket, sent, ws: socket as unknown as WebSocket };
};

const limits = { queueLimit: 3, maxBufferedBytes: 1_000 };

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
    subscriber.deliver('{"data":{"n":1}}');
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([
      { id: 'sub "1"', type: 'next', payload: { data: { n: 1 } } },
    ]);
  });

  it('is ended as slow only when both its unread messages and its unsent bytes are past their limits', () => {
    const { ws, socket, sent } = fakeSocket();
    const { subscriber, ends } = subscriberOn(ws, 's');
    // Many bytes but few messages (one burst of large events): not slow.
    socket.bufferedAmount = 5_000;
    for (let i = 0; i < 3; i++) subscriber.deliver('{}');
    expect(ends).toEqual([]);
    // The client read everything: the count starts again.
    socket.bufferedAmount = 0;
    subscriber.deliver('{}');
    socket.bufferedAmount = 5_000;
    subscriber.deliver('{}');
    subscriber.deliver('{}');
    expect(ends).toEqual([]);
    subscriber.deliver('{}');
    expect(ends).toEqual([{ kind: 'slow', queued: 3 }]);
    expect(sent).toHaveLength(6);
    subscriber.deliver('{}');
    expect(sent).toHaveLength(6);
  });

  it('holds a shared subscriber’s writes for the rest of the turn, so a burst leaves in one write', async () => {
    const { ws, sent } = fakeSocket();
    const transport = {
      corks: 0,
      uncorks: 0,
      cork() {
        this.corks += 1;
      },
      uncork() {
        this.uncorks += 1;
      },
    };
    const subscriber = new SocketSubscriber(ws, 's', { paced: false, limits, transport, onEnd: () => {} });
    subscriber.deliver('{"n":1}');
    subscriber.deliver('{"n":2}');
    expect(sent).toHaveLength(2);
    expect([transport.corks, transport.uncorks]).toEqual([1, 0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([transport.corks, transport.uncorks]).toEqual([1, 1]);
    subscriber.deliver('{"n":3}');
    expect(transport.corks).toBe(2);
  });

  it('paces its stream by the socket when it runs alone', async () => {
    const { ws, sent } = fakeSocket();
    const { subscriber } = subscriberOn(ws, 's', true);
    const taken = subscriber.deliver('{}');
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
    other.deliver('{}');
    expect(sent).toEqual([]);
  });
});
