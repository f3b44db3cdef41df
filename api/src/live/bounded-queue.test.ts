import { describe, expect, it } from 'vitest';
import { BoundedQueue, type QueueEnd } from './bounded-queue.js';

const overflow = (queued: number) => Object.assign(new Error(`behind by ${queued}`), { code: 'SLOW' });

const queueOf = (limit: number, congested?: () => boolean, burstAllowance?: number) => {
  const ends: QueueEnd[] = [];
  const queue = new BoundedQueue<number>({
    limit,
    overflowError: overflow,
    onEnd: (end) => ends.push(end),
    ...(congested ? { congested } : {}),
    ...(burstAllowance !== undefined ? { burstAllowance } : {}),
  });
  return { queue, ends };
};

/** The next turn of the event loop: what the feed delivers next arrives as a new burst. */
const nextBurst = () => new Promise<void>((resolve) => setImmediate(resolve));

const drain = async (queue: BoundedQueue<number>, count: number) => {
  const items: number[] = [];
  for (let i = 0; i < count; i++) {
    const next = await queue.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
};

describe('BoundedQueue', () => {
  it('hands items to a waiting consumer in order', async () => {
    const { queue } = queueOf(3);
    const first = queue.next();
    queue.offer(1);
    queue.offer(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
  });

  it('closes a consumer still `limit` behind when the next burst arrives, once, and drops what waited', async () => {
    const { queue, ends } = queueOf(3);
    expect([queue.offer(1), queue.offer(2), queue.offer(3)]).toEqual([true, true, true]);
    await nextBurst();
    expect(queue.offer(4)).toBe(false);
    expect(queue.size).toBe(0);
    expect(queue.closed).toBe(true);
    await expect(queue.next()).rejects.toMatchObject({ message: 'behind by 3', code: 'SLOW' });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(queue.offer(5)).toBe(false);
    expect(ends).toEqual(['overflow']);
    expect(await queue.ended).toBe('overflow');
  });

  it('reports the overflow error at once to a consumer that is busy elsewhere', async () => {
    const reported: Error[] = [];
    const queue = new BoundedQueue<number>({
      limit: 2,
      overflowError: overflow,
      onOverflow: (e) => reported.push(e),
    });
    queue.offer(1);
    queue.offer(2);
    await nextBurst();
    expect(reported).toEqual([]);
    queue.offer(3);
    expect(reported.map((error) => error.message)).toEqual(['behind by 2']);
    await expect(queue.next()).rejects.toBe(reported[0]);
  });

  it('lets a burst larger than the limit through to a consumer that drains it before the next one', async () => {
    const { queue, ends } = queueOf(10);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 500; i++) expect(queue.offer(i)).toBe(true);
      await drain(queue, 498);
      await nextBurst();
    }
    expect(ends).toEqual([]);
    expect(queue.size).toBe(10);
  });

  it('rejects a consumer already waiting when the queue fails', async () => {
    const { queue } = queueOf(3);
    const pending = queue.next();
    queue.fail(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
  });

  it('keeps a consumer that keeps up, however many items pass through', async () => {
    const { queue, ends } = queueOf(2);
    for (let i = 0; i < 10_000; i++) {
      expect(queue.offer(i)).toBe(true);
      expect((await queue.next()).value).toBe(i);
    }
    expect(ends).toEqual([]);
  });

  it('counts a congested transport as falling behind even with room in the queue', async () => {
    let backlog = 0;
    const { queue, ends } = queueOf(100, () => backlog > 1_000);
    expect(queue.offer(1)).toBe(true);
    backlog = 5_000;
    expect(queue.offer(2)).toBe(false);
    expect(ends).toEqual(['overflow']);
    await expect(queue.next()).rejects.toThrow('behind by 1');
  });

  it('does not count items pushed on demand towards the limit, and paces their producer', async () => {
    const { queue } = queueOf(4);
    for (let i = 0; i < 6; i++) queue.push(i);
    // Pushed (replayed) items leave room for live ones.
    expect(queue.offer(100)).toBe(true);
    let roomy = false;
    const room = queue.whenRoom(2).then(() => {
      roomy = true;
    });
    await drain(queue, 4);
    await Promise.resolve();
    expect(roomy).toBe(false);
    await drain(queue, 2);
    await room;
    expect(roomy).toBe(true);
    expect(await drain(queue, 1)).toEqual([100]);
  });

  it('drains what is queued after end(), then completes', async () => {
    const { queue, ends } = queueOf(5);
    queue.offer(1);
    queue.offer(2);
    queue.end();
    expect(queue.offer(3)).toBe(false);
    expect(await drain(queue, 5)).toEqual([1, 2]);
    expect(ends).toEqual(['ended']);
  });

  it('releases everything when the consumer returns, and ends only once', async () => {
    const { queue, ends } = queueOf(5);
    queue.offer(1);
    const room = queue.whenRoom(0);
    await queue.return();
    await queue.return();
    await room;
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(queue.size).toBe(0);
    expect(ends).toEqual(['returned']);
  });

  it('never holds more than `limit + burstAllowance` unread items, whatever the producer does', async () => {
    const { queue } = queueOf(50, undefined, 20);
    let accepted = 0;
    for (let i = 0; i < 1_000_000 && queue.offer(i); i++) accepted += 1;
    expect(accepted).toBe(70);
    expect(queue.size).toBe(0);
    const slow = queueOf(50, undefined, 20).queue;
    let total = 0;
    for (let round = 0; round < 100 && !slow.closed; round++) {
      for (let i = 0; i < 10 && slow.offer(i); i++) total += 1;
      await nextBurst();
    }
    // A consumer that takes nothing is closed once 50 wait at the start of a burst.
    expect(total).toBe(50);
  });
});
