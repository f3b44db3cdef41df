import { type RecordedEvent, START } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { ReplayLiveMerge } from './replay-live-merge.js';

/** Checkpoints are positions here; START comes first. */
const position = (checkpoint: string) => (checkpoint === START ? 0 : Number(checkpoint));
const compare = (a: string, b: string) => position(a) - position(b);

const event = (n: number, organizationId = 'org-a'): RecordedEvent => ({
  id: `e${n}`,
  type: 'Counted',
  data: { n },
  streamId: `test-${n}`,
  streamVersion: 0n,
  globalPosition: BigInt(n),
  checkpoint: String(n),
  recordedAt: new Date(0),
  metadata: {
    organizationId,
    actor: { kind: 'system', id: 'test' },
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
    hash: 'h',
    previousHash: 'p',
  },
});

/** The log as the store holds it: a page of up to `limit` events after a checkpoint. */
const pageOf = (log: RecordedEvent[], after: string, limit: number) => {
  const events = log.filter((e) => position(e.checkpoint) > position(after)).slice(0, limit);
  const last = events[events.length - 1];
  return { events, checkpoint: last ? last.checkpoint : after, caughtUp: events.length < limit };
};

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => event(from + i));
const ids = (events: readonly RecordedEvent[]) => events.map((e) => Number(e.checkpoint));

const merge = (after: string | null, bufferLimit = 100, organizationId = 'org-a') =>
  new ReplayLiveMerge({
    after,
    compare,
    bufferLimit,
    accepts: (e) => e.metadata.organizationId === organizationId,
  });

describe('ReplayLiveMerge', () => {
  it('replays, then hands over to live without a gap or a duplicate across the switch', () => {
    const log = range(1, 10);
    const feed = merge(START);
    const delivered: RecordedEvent[] = [];
    // Live events 9 and 10 arrive while the replay is still reading; 9 is also in the final page.
    let read = feed.nextRead();
    delivered.push(...feed.onPage(read, pageOf(log, read.after, 4)));
    expect(feed.onLive(event(9))).toBeNull();
    read = feed.nextRead();
    delivered.push(...feed.onPage(read, pageOf(log.slice(0, 9), read.after, 4)));
    expect(feed.onLive(event(10))).toBeNull();
    read = feed.nextRead();
    delivered.push(...feed.onPage(read, pageOf(log.slice(0, 9), read.after, 4)));
    expect(feed.replaying).toBe(false);
    // 11 comes live after the switch; a late duplicate of 10 is dropped.
    for (const live of [event(11), event(10), event(12)]) {
      const now = feed.onLive(live);
      if (now) delivered.push(now);
    }
    expect(ids(delivered)).toEqual(range(1, 12).map((e) => position(e.checkpoint)));
    expect(feed.checkpoint).toBe('12');
  });

  it('resumes exactly after the checkpoint a reconnecting client names', () => {
    const log = range(1, 6);
    const feed = merge('3');
    const read = feed.nextRead();
    expect(ids(feed.onPage(read, pageOf(log, read.after, 10)))).toEqual([4, 5, 6]);
    expect(feed.onLive(event(6))).toBeNull();
    expect(ids([feed.onLive(event(7))!])).toEqual([7]);
  });

  it('does not switch on a caught-up read that began before a gap, and re-reads instead', () => {
    const feed = merge(START);
    const log = range(1, 5);
    const read = feed.nextRead();
    // The live side loses event 5 and says so while this read is in flight.
    feed.onGap();
    const page = pageOf(log.slice(0, 4), read.after, 10);
    expect(ids(feed.onPage(read, page))).toEqual([1, 2, 3, 4]);
    expect(feed.replaying).toBe(true);
    const again = feed.nextRead();
    expect(again.after).toBe('4');
    expect(ids(feed.onPage(again, pageOf(log, again.after, 10)))).toEqual([5]);
    expect(feed.replaying).toBe(false);
  });

  it('drops its live buffer when it overflows, and replays those events instead', () => {
    const feed = merge(START, 3);
    const log = range(1, 20);
    const first = feed.nextRead();
    // Ten live events arrive during one slow read: the buffer keeps at most 3 at any time.
    for (const live of range(11, 20)) expect(feed.onLive(live)).toBeNull();
    const delivered = feed.onPage(first, pageOf(log.slice(0, 10), first.after, 100));
    expect(feed.replaying).toBe(true);
    const second = feed.nextRead();
    delivered.push(...feed.onPage(second, pageOf(log, second.after, 100)));
    expect(feed.replaying).toBe(false);
    expect(ids(delivered)).toEqual(ids(log));
  });

  it('after a gap while live, replays from the last delivered checkpoint', () => {
    const feed = merge(null);
    expect(ids([feed.onLive(event(5))!])).toEqual([5]);
    feed.onGap();
    expect(feed.replaying).toBe(true);
    expect(feed.onLive(event(8))).toBeNull();
    const read = feed.nextRead();
    expect(read.after).toBe('5');
    const log = range(1, 8);
    expect(ids(feed.onPage(read, pageOf(log.slice(0, 7), read.after, 10)))).toEqual([6, 7, 8]);
  });

  it('a live-only feed that delivered nothing has nothing to repair', () => {
    const feed = merge(null);
    feed.onGap();
    expect(feed.replaying).toBe(false);
    expect(ids([feed.onLive(event(3))!])).toEqual([3]);
  });

  it("never delivers another organization's events, replayed or live", () => {
    const feed = merge(START);
    const log = [event(1), event(2, 'org-b'), event(3)];
    const read = feed.nextRead();
    expect(ids(feed.onPage(read, pageOf(log, read.after, 10)))).toEqual([1, 3]);
    expect(feed.onLive(event(4, 'org-b'))).toBeNull();
    expect(feed.checkpoint).toBe('3');
  });

  it('holds every interleaving of replay pages and live deliveries to the same sequence', () => {
    // Random schedules: appends become visible, the live side hears them (sometimes losing some and
    // reporting a gap), the replay reads pages. The client must see the log exactly once, in order.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 300; round++) {
      const total = 40;
      const after = Math.floor(random() * 10);
      const feed = merge(after === 0 ? START : String(after), 1 + Math.floor(random() * 8));
      const delivered: RecordedEvent[] = [];
      let visible = Math.floor(random() * 15);
      let heard = visible;
      let inFlight: { read: ReturnType<ReplayLiveMerge['nextRead']>; visible: number } | null = null;
      for (
        let step = 0;
        step < 2_000 && (delivered.length === 0 || feed.checkpoint !== String(total));
        step++
      ) {
        const action = random();
        if (action < 0.3 && visible < total) {
          visible += 1;
        } else if (action < 0.6 && heard < visible) {
          heard += 1;
          if (random() < 0.05) feed.onGap();
          else {
            const now = feed.onLive(event(heard));
            if (now) delivered.push(now);
          }
        } else if (feed.replaying) {
          if (!inFlight) inFlight = { read: feed.nextRead(), visible };
          else {
            const page = pageOf(
              range(1, inFlight.visible),
              inFlight.read.after,
              1 + Math.floor(random() * 6),
            );
            delivered.push(...feed.onPage(inFlight.read, page));
            inFlight = null;
          }
        }
      }
      expect(ids(delivered)).toEqual(range(after + 1, total).map((e) => position(e.checkpoint)));
    }
  });
});
