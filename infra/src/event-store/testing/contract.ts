import {
  type EventStore,
  type EventToAppend,
  isDomainError,
  type ReadAllOptions,
  type RecordedEvent,
  START,
  VersionConflictError,
} from '@netpulse/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEvent, testEvents, uniqueStream } from './events.js';

export type HeldAppend = Readonly<{ commit: () => Promise<void> }>;

export type ContractHarness = Readonly<{
  store: EventStore;
  /**
   * `transactions`: positions are taken before commit (PostgreSQL), so readers must wait for a
   * transaction that commits late. `single`: the engine orders events at commit (EventStoreDB).
   */
  commitOrder: 'transactions' | 'single';
  /** Whether `tamper` rewrites the stored event itself (PostgreSQL) or must re-append copies (EventStoreDB). */
  tamperInPlace: boolean;
  /**
   * Appends inside a transaction that stays open until `commit`, to prove readers wait for a
   * transaction that commits late. Adapters with a single commit order append on `commit`.
   */
  appendHeldOpen: (streamId: string, events: readonly EventToAppend[]) => Promise<HeldAppend>;
  /**
   * Rewrites a stored event's data behind the store's back, as an attacker with access to the engine
   * would (in place where the engine allows it, otherwise by truncating and re-appending copies).
   */
  tamper: (streamId: string, version: bigint, data: Record<string, unknown>) => Promise<void>;
  cleanup: () => Promise<void>;
}>;

const conflictCode = (error: unknown) => (isDomainError(error) ? error.code : String(error));

const collectUntil = (
  store: EventStore,
  after: string,
  count: number,
  filter?: { categories?: string[]; eventTypes?: string[] },
) => {
  const received: RecordedEvent[] = [];
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const subscription = store.subscribe({
    after,
    batchSize: 7,
    ...(filter ? { filter } : {}),
    onBatch: async (events) => {
      received.push(...events);
      if (received.length >= count) resolveDone();
    },
  });
  return { received, done, subscription };
};

/**
 * Reads the global log until `count` matching events are visible. Under the PostgreSQL adapter a
 * reader waits for every older write transaction in the cluster (other tests' too), so visibility
 * is eventual, never instant.
 */
const readAllUntil = async (store: EventStore, options: ReadAllOptions, count: number) => {
  let result = await store.readAll(options);
  const deadline = Date.now() + 10_000;
  while (result.events.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    result = await store.readAll(options);
  }
  return result;
};

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  ]);

/** The behaviour every EventStore adapter must show. */
export const eventStoreContract = (
  adapter: string,
  setup: () => Promise<ContractHarness>,
  skipReason: string | null,
): void => {
  describe.skipIf(skipReason !== null)(`EventStore contract: ${adapter}`, () => {
    let harness: ContractHarness;
    let store: EventStore;

    beforeAll(async () => {
      harness = await setup();
      store = harness.store;
    });
    afterAll(async () => {
      await harness?.cleanup();
    });

    describe('appending and reading a stream', () => {
      it('numbers events from 0 and reads them forwards, backwards and by range', async () => {
        const stream = uniqueStream();
        const first = await store.appendToStream(stream, testEvents(3), { expectedVersion: 'no-stream' });
        expect(first).toMatchObject({ streamId: stream, nextExpectedVersion: 2n, appended: 3 });
        await store.appendToStream(stream, testEvents(2), { expectedVersion: 2n });

        const all = await store.readStream(stream);
        expect(all.currentVersion).toBe(4n);
        expect(all.events.map((e) => e.streamVersion)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(all.events.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 0, 1]);

        const backwards = await store.readStream(stream, { direction: 'backwards', limit: 2 });
        expect(backwards.events.map((e) => e.streamVersion)).toEqual([4n, 3n]);
        const range = await store.readStream(stream, { from: 1n, to: 3n });
        expect(range.events.map((e) => e.streamVersion)).toEqual([1n, 2n, 3n]);
      });

      it('reports a missing stream as null version with no events', async () => {
        expect(await store.readStream(uniqueStream())).toEqual({ currentVersion: null, events: [] });
      });

      it('keeps metadata and stamps a hash chained to the previous event', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, testEvents(2), { expectedVersion: 'any' });
        const [a, b] = (await store.readStream(stream)).events;
        expect(a!.metadata).toMatchObject({
          organizationId: 'org-test',
          actor: { kind: 'user', id: 'user-test' },
        });
        expect(a!.metadata.previousHash).toBe('0'.repeat(64));
        expect(b!.metadata.previousHash).toBe(a!.metadata.hash);
      });
    });

    describe('expected versions', () => {
      it('rejects a stale version, no-stream on an existing stream and exists on a missing one', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, testEvents(2), { expectedVersion: 'no-stream' });
        await expect(
          store.appendToStream(stream, testEvents(1), { expectedVersion: 0n }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        await expect(
          store.appendToStream(stream, testEvents(1), { expectedVersion: 'no-stream' }),
        ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
        await expect(
          store.appendToStream(uniqueStream(), testEvents(1), { expectedVersion: 'exists' }),
        ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
        await expect(
          store.appendToStream(uniqueStream(), testEvents(1), { expectedVersion: 5n }),
        ).rejects.toMatchObject({
          code: 'VERSION_CONFLICT',
        });
        const ok = await store.appendToStream(stream, testEvents(1), { expectedVersion: 'exists' });
        expect(ok.nextExpectedVersion).toBe(2n);
      });

      it('lets exactly one of many concurrent writers at the same version win', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, testEvents(1), { expectedVersion: 'no-stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () =>
            store.appendToStream(stream, testEvents(2), { expectedVersion: 0n }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.map((o) => conflictCode(o.reason))).toEqual(Array(7).fill('VERSION_CONFLICT'));
        expect((await store.readStream(stream)).currentVersion).toBe(2n);
      });

      it('enforces no-stream strictly when writers race to create a stream', async () => {
        const stream = uniqueStream();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 6 }, () =>
            store.appendToStream(stream, testEvents(1), { expectedVersion: 'no-stream' }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
          expect(conflictCode(o.reason)).toBe('VERSION_CONFLICT');
        }
        expect((await store.readStream(stream)).events).toHaveLength(1);
      });

      it('appends to several streams all or nothing', async () => {
        const fresh = uniqueStream();
        const existing = uniqueStream();
        await store.appendToStream(existing, testEvents(1), { expectedVersion: 'no-stream' });
        await expect(
          store.appendMany([
            { streamId: fresh, events: testEvents(2), expectedVersion: 'no-stream' },
            { streamId: existing, events: testEvents(1), expectedVersion: 'no-stream' },
          ]),
        ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
        expect((await store.readStream(fresh)).currentVersion).toBeNull();
      });
    });

    describe('idempotency', () => {
      it('treats re-appending stored event ids as a no-op', async () => {
        const stream = uniqueStream();
        const events = testEvents(3);
        await store.appendToStream(stream, events, { expectedVersion: 'no-stream' });
        const again = await store.appendToStream(stream, events, { expectedVersion: 'no-stream' });
        expect(again).toMatchObject({ appended: 0, nextExpectedVersion: 2n });
        const againAny = await store.appendToStream(stream, events, { expectedVersion: 'any' });
        expect(againAny.appended).toBe(0);
        expect((await store.readStream(stream)).events).toHaveLength(3);
      });

      it('stores only the new events of a retried batch that grew (expected version any)', async () => {
        const stream = uniqueStream('observations');
        const at = new Date().toISOString();
        const first = [testEvent('DeviceObserved', { observedAt: at, n: 1 })];
        await store.appendMany([{ streamId: stream, events: first, expectedVersion: 'any' }]);
        const grown = [...first, testEvent('DeviceObserved', { observedAt: at, n: 2 })];
        const [result] = await store.appendMany([
          { streamId: stream, events: grown, expectedVersion: 'any' },
        ]);
        expect(result).toMatchObject({ appended: 1, nextExpectedVersion: 1n });
        expect((await store.readStream(stream)).events.map((e) => (e.data as { n: number }).n)).toEqual([
          1, 2,
        ]);
      });
    });

    describe('global order', () => {
      it('never lets a reader pass an event whose transaction commits late', async () => {
        const early = uniqueStream('late');
        const later = uniqueStream('late');
        const { checkpoint: before } = await store.appendToStream(uniqueStream('late'), testEvents(1), {
          expectedVersion: 'any',
        });
        const held = await harness.appendHeldOpen(early, [testEvent('Early')]);
        await store.appendToStream(later, [testEvent('Later')], { expectedVersion: 'any' });

        const whileOpen = await store.readAll({ after: before, filter: { categories: ['late'] } });
        if (harness.commitOrder === 'transactions') {
          // The reader must not move past Later while Early, positioned before it, is uncommitted.
          expect(whileOpen.events.map((e) => e.type)).not.toContain('Later');
        }
        await held.commit();
        const afterCommit = await readAllUntil(
          store,
          { after: whileOpen.checkpoint, filter: { categories: ['late'] } },
          2 - whileOpen.events.length,
        );
        const seen = [...whileOpen.events, ...afterCommit.events].map((e) => e.type);
        expect(seen).toEqual(
          harness.commitOrder === 'transactions' ? ['Early', 'Later'] : ['Later', 'Early'],
        );
      });

      it('orders checkpoints as the global log does, START first', async () => {
        const category = `cmp${Date.now().toString(36)}`;
        await store.appendToStream(`${category}-a`, testEvents(2), { expectedVersion: 'any' });
        await store.appendToStream(`${category}-b`, testEvents(1), { expectedVersion: 'any' });
        const { events } = await readAllUntil(store, { filter: { categories: [category] } }, 3);
        const [first, second, third] = events.map((e) => e.checkpoint) as [string, string, string];
        expect(store.compareCheckpoints(first, second)).toBeLessThan(0);
        expect(store.compareCheckpoints(third, second)).toBeGreaterThan(0);
        expect(store.compareCheckpoints(second, second)).toBe(0);
        expect(store.compareCheckpoints(START, first)).toBeLessThan(0);
        expect(store.compareCheckpoints(first, START)).toBeGreaterThan(0);
        expect(store.compareCheckpoints(START, START)).toBe(0);
        expect(() => store.compareCheckpoints('not a checkpoint', first)).toThrowError(
          expect.objectContaining({ code: 'VALIDATION_FAILED' }),
        );
      });

      it('filters the global log by category and event type', async () => {
        const { checkpoint } = await store.appendToStream(uniqueStream('flt'), [testEvent('Marker')], {
          expectedVersion: 'any',
        });
        await store.appendToStream(uniqueStream('flta'), [testEvent('A'), testEvent('B')], {
          expectedVersion: 'any',
        });
        await store.appendToStream(uniqueStream('fltb'), [testEvent('A')], { expectedVersion: 'any' });
        const byCategory = await readAllUntil(
          store,
          { after: checkpoint, filter: { categories: ['flta'] } },
          2,
        );
        expect(byCategory.events.map((e) => e.type)).toEqual(['A', 'B']);
        const byType = await readAllUntil(
          store,
          { after: checkpoint, filter: { eventTypes: ['A'], categories: ['flta', 'fltb'] } },
          2,
        );
        expect(byType.events.map((e) => e.streamId.split('-')[0])).toEqual(['flta', 'fltb']);
      });
    });

    describe('subscriptions', () => {
      it('catches up and continues live with no gap and no duplicate across the switch', async () => {
        const category = `sub${Date.now().toString(36)}`;
        const writer = async (n: number) => {
          for (let i = 0; i < n; i++) {
            await store.appendToStream(`${category}-${i % 5}`, testEvents(2), { expectedVersion: 'any' });
          }
        };
        await writer(20);
        const { received, done, subscription } = collectUntil(store, START, 100, { categories: [category] });
        await Promise.all([writer(20), writer(10)]);
        await within(done, 20_000, 'the subscription to deliver every event');
        await subscription.close();

        const stored = await readAllUntil(store, { filter: { categories: [category] }, limit: 1_000 }, 100);
        expect(stored.events).toHaveLength(100);
        expect(received.map((e) => e.id)).toEqual(stored.events.map((e) => e.id));
        expect(new Set(received.map((e) => e.id)).size).toBe(100);
      });

      it('resumes after the checkpoint it stopped at', async () => {
        const category = `res${Date.now().toString(36)}`;
        await store.appendToStream(`${category}-a`, testEvents(3), { expectedVersion: 'any' });
        const first = collectUntil(store, START, 3, { categories: [category] });
        await within(first.done, 10_000, 'the first three events');
        await first.subscription.close();
        const resumeFrom = first.received[first.received.length - 1]!.checkpoint;

        await store.appendToStream(`${category}-a`, testEvents(2), { expectedVersion: 'any' });
        const second = collectUntil(store, resumeFrom, 2, { categories: [category] });
        await within(second.done, 10_000, 'the two new events');
        await second.subscription.close();
        expect(second.received.map((e) => e.streamVersion)).toEqual([3n, 4n]);
      });

      it('retries a batch whose handler failed instead of skipping it', async () => {
        const category = `rty${Date.now().toString(36)}`;
        await store.appendToStream(`${category}-a`, testEvents(2), { expectedVersion: 'any' });
        const delivered: string[] = [];
        let failures = 0;
        let finish: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          finish = resolve;
        });
        const subscription = store.subscribe({
          after: START,
          filter: { categories: [category] },
          onBatch: async (events) => {
            if (failures < 2) {
              failures += 1;
              throw new Error('projection crashed');
            }
            delivered.push(...events.map((e) => e.id));
            finish();
          },
        });
        await within(finished, 10_000, 'the retried batch');
        await subscription.close();
        expect(failures).toBe(2);
        expect(delivered).toHaveLength(2);
      });
    });

    describe('time travel and tamper evidence', () => {
      const counter = {
        initialState: () => ({ count: 0, last: '' }),
        evolve: (state: { count: number; last: string }, event: { type: string }) => ({
          count: state.count + 1,
          last: event.type,
        }),
      };

      it('rebuilds state as of a version and as of a moment', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [testEvent('One'), testEvent('Two')], {
          expectedVersion: 'no-stream',
        });
        const [, second] = (await store.readStream(stream)).events;
        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.appendToStream(stream, [testEvent('Three')], { expectedVersion: 1n });

        expect(await store.aggregateStream(stream, counter)).toEqual({
          state: { count: 3, last: 'Three' },
          version: 2n,
        });
        expect(await store.aggregateStream(stream, counter, { toVersion: 0n })).toEqual({
          state: { count: 1, last: 'One' },
          version: 0n,
        });
        expect(await store.aggregateStream(stream, counter, { asOf: second!.recordedAt })).toEqual({
          state: { count: 2, last: 'Two' },
          version: 1n,
        });
        expect(await store.aggregateStream(uniqueStream(), counter)).toEqual({
          state: { count: 0, last: '' },
          version: null,
        });
      });

      it('detects a stored event that was altered', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, testEvents(4), { expectedVersion: 'no-stream' });
        expect(await store.verifyStream(stream)).toEqual({ ok: true, streamId: stream, eventsChecked: 4 });
        await harness.tamper(stream, 2n, { n: 99 });
        const verdict = await store.verifyStream(stream);
        expect(verdict.ok).toBe(false);
        // An engine that can rewrite an event in place shows the break exactly at the altered event;
        // EventStoreDB can only truncate and re-append, which breaks the chain where the copies begin.
        if (harness.tamperInPlace) expect(verdict).toMatchObject({ brokenAtVersion: 2n, eventsChecked: 2 });
      });
    });

    describe('retention', () => {
      it('hides events older than a stream max age', async () => {
        const stream = uniqueStream('observations');
        await store.appendToStream(stream, [testEvent('Old', { observedAt: new Date().toISOString() })], {
          expectedVersion: 'any',
        });
        await store.setStreamRetention(stream, { maxAgeSeconds: 1 });
        await new Promise((resolve) => setTimeout(resolve, 1_200));
        await store.appendToStream(stream, [testEvent('New', { observedAt: new Date().toISOString() })], {
          expectedVersion: 'any',
        });
        expect((await store.readStream(stream)).events.map((e) => e.type)).toEqual(['New']);
      });
    });
  });
};
