import { NO_STREAM } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../hash-chain.js';
import { testEvent, testEvents } from '../testing/events.js';
import { headAfter, NO_HEAD, planAppend, type StreamHead, type WritePlan } from './plan.js';

const stream = 'device-1';
const headAt = (revision: bigint, lastHash = 'f'.repeat(64), ids: string[] = []): StreamHead => ({
  revision,
  lastHash,
  recent: new Map(
    ids.map((id, i) => [
      id,
      { streamVersion: revision - BigInt(ids.length - 1 - i), checkpoint: `C:${i}/P:${i}` },
    ]),
  ),
});

describe('planning an append against the stream head', () => {
  it('creates a stream from the genesis hash, expecting no stream on the server', () => {
    const events = testEvents(2);
    const plan = planAppend({ streamId: stream, expectedVersion: 'no-stream', events }, NO_HEAD) as WritePlan;
    expect(plan).toMatchObject({
      kind: 'write',
      expectedRevision: NO_STREAM,
      lastVersion: 1n,
      createsStream: true,
    });
    const [first, second] = plan.events;
    expect(first!.metadata.previousHash).toBe(GENESIS_HASH);
    expect(first!.metadata.hash).toBe(
      eventHash(GENESIS_HASH, { ...events[0]!, streamId: stream, streamVersion: 0n }),
    );
    expect(second!.metadata.previousHash).toBe(first!.metadata.hash);
    expect(plan.lastHash).toBe(second!.metadata.hash);
  });

  it('chains onto the last event read and pins any to its revision', () => {
    const plan = planAppend(
      { streamId: stream, expectedVersion: 'any', events: testEvents(1) },
      headAt(4n, 'c'.repeat(64)),
    ) as WritePlan;
    expect(plan).toMatchObject({ expectedRevision: 4n, lastVersion: 5n, createsStream: false });
    expect(plan.events[0]!.metadata.previousHash).toBe('c'.repeat(64));
  });

  it('restarts the chain from genesis when the last event is no longer readable ($maxAge)', () => {
    const plan = planAppend(
      { streamId: stream, expectedVersion: 'any', events: testEvents(1) },
      { revision: 9n, lastHash: null, recent: new Map() },
    ) as WritePlan;
    expect(plan).toMatchObject({ expectedRevision: 9n, lastVersion: 10n });
    expect(plan.events[0]!.metadata.previousHash).toBe(GENESIS_HASH);
  });

  it.each([
    ['no-stream', headAt(0n), 0n],
    ['exists', NO_HEAD, 'no-stream'],
    [3n, headAt(4n), 4n],
    [5n, NO_HEAD, 'no-stream'],
  ] as const)('rejects expectation %s with a version conflict', (expectedVersion, head, actual) => {
    expect(() => planAppend({ streamId: stream, expectedVersion, events: testEvents(1) }, head)).toThrowError(
      expect.objectContaining({ code: 'VERSION_CONFLICT', actual }),
    );
  });

  it('answers a re-append of stored ids idempotently, even with a stale expectation', () => {
    const events = testEvents(3);
    const head = headAt(
      2n,
      'e'.repeat(64),
      events.map((e) => e.id),
    );
    for (const expectedVersion of ['no-stream', 'any', 0n] as const) {
      expect(planAppend({ streamId: stream, expectedVersion, events }, head)).toEqual({
        kind: 'stored',
        result: { streamId: stream, nextExpectedVersion: 2n, appended: 0, checkpoint: 'C:2/P:2' },
      });
    }
  });

  it('completes a partly stored batch only under any', () => {
    const first = testEvent('A');
    const head = headAt(0n, 'e'.repeat(64), [first.id]);
    const grown = [first, testEvent('B')];
    const plan = planAppend({ streamId: stream, expectedVersion: 'any', events: grown }, head) as WritePlan;
    expect(plan.events.map((e) => e.type)).toEqual(['B']);
    expect(plan).toMatchObject({ expectedRevision: 0n, lastVersion: 1n });
    expect(() => planAppend({ streamId: stream, expectedVersion: 0n, events: grown }, head)).toThrowError(
      expect.objectContaining({ code: 'VERSION_CONFLICT' }),
    );
  });

  it('lets a later append of the same call see the planned head', () => {
    const plan = planAppend(
      { streamId: stream, expectedVersion: 'no-stream', events: testEvents(2) },
      NO_HEAD,
    ) as WritePlan;
    const next = headAfter(NO_HEAD, plan);
    expect(next).toMatchObject({ revision: 1n, lastHash: plan.lastHash });
    expect(planAppend({ streamId: stream, expectedVersion: 1n, events: testEvents(1) }, next)).toMatchObject({
      expectedRevision: 1n,
      lastVersion: 2n,
    });
  });
});
