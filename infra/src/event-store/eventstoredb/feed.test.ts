import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EventFeed, type FeedSource } from './feed.js';

const source = () =>
  Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: async () => {} }) as FeedSource &
    PassThrough;
const event = (n: number) => ({ event: { id: `e${n}` } });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('EventFeed', () => {
  it('counts events still buffered in the readable before the caught-up signal', async () => {
    const readable = source();
    const feed = new EventFeed(readable, 10);
    for (const n of [1, 2, 3]) readable.write(event(n));
    readable.emit('caughtUp');
    await tick();
    expect(feed.caughtUp).toBe(false);
    feed.take();
    feed.take();
    expect(feed.caughtUp).toBe(false);
    expect(feed.take()).toEqual(event(3));
    expect(feed.caughtUp).toBe(true);
    readable.emit('fellBehind');
    expect(feed.caughtUp).toBe(false);
  });

  it('pauses the readable at the high-water mark and resumes once taken', async () => {
    const readable = source();
    const feed = new EventFeed(readable, 2);
    for (const n of [1, 2, 3, 4, 5]) readable.write(event(n));
    await tick();
    expect(feed.buffered).toBe(2);
    expect(readable.isPaused()).toBe(true);
    feed.take();
    expect(readable.isPaused()).toBe(false);
    await tick();
    expect(feed.buffered).toBe(2);
  });

  it('reports a failure only after the events received before it', async () => {
    const readable = source();
    const feed = new EventFeed(readable, 10);
    readable.write(event(1));
    await tick();
    readable.destroy(new Error('connection lost'));
    await tick();
    expect(() => feed.throwIfBroken()).not.toThrow();
    feed.take();
    expect(() => feed.throwIfBroken()).toThrow('connection lost');
  });

  it('wakes a waiter on the next event and unsubscribes on close', async () => {
    const readable = source();
    let unsubscribed = false;
    readable.unsubscribe = async () => {
      unsubscribed = true;
    };
    const feed = new EventFeed(readable, 10);
    const waiting = feed.wait();
    readable.write(event(1));
    await waiting;
    expect(feed.buffered).toBe(1);
    await feed.close();
    expect(unsubscribed).toBe(true);
    expect(readable.destroyed).toBe(true);
    await feed.wait();
  });
});
