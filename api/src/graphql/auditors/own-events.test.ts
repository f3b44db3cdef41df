import type { ReadAllOptions, ReadAllResult, RecordedEvent } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { readOwnEvents } from './own-events.js';

/** A log of `owners.length` events, event i owned by owners[i], read the way an adapter reads. */
const logOf = (owners: readonly string[]) => {
  const events = owners.map(
    (organizationId, i) =>
      ({ id: `e${i}`, checkpoint: `c${i}`, metadata: { organizationId } }) as unknown as RecordedEvent,
  );
  const reads: ReadAllOptions[] = [];
  const readAll = async (options: ReadAllOptions): Promise<ReadAllResult> => {
    reads.push(options);
    const start = options.after === 'start' ? 0 : Number(options.after?.slice(1)) + 1;
    const page = events.slice(start, start + (options.limit ?? 100));
    const end = start + page.length;
    return {
      events: page,
      checkpoint: page.at(-1)?.checkpoint ?? options.after ?? 'start',
      caughtUp: end >= events.length,
    };
  };
  return { readAll, reads };
};

const ids = (page: { events: readonly RecordedEvent[] }) => page.events.map((event) => event.id);

describe('one organization’s page of the global log', () => {
  it('skips other tenants’ events and resumes after the last event it looked at', async () => {
    const { readAll } = logOf(['a', 'b', 'b', 'a', 'b', 'a', 'a']);
    const first = await readOwnEvents(readAll, {
      organizationId: 'a',
      after: 'start',
      filter: {},
      wanted: 2,
      maxScanned: 100,
    });
    expect(ids(first)).toEqual(['e0', 'e3']);
    expect(first).toMatchObject({ checkpoint: 'c3', caughtUp: false });
    const second = await readOwnEvents(readAll, {
      organizationId: 'a',
      after: first.checkpoint,
      filter: {},
      wanted: 5,
      maxScanned: 100,
    });
    expect(ids(second)).toEqual(['e5', 'e6']);
    expect(second).toMatchObject({ checkpoint: 'c6', caughtUp: true });
  });

  it('answers a short page, not caught up, when only other tenants wrote for a long stretch', async () => {
    const { readAll, reads } = logOf(['b', 'b', 'b', 'b', 'b', 'b', 'a']);
    const page = await readOwnEvents(readAll, {
      organizationId: 'a',
      after: 'start',
      filter: {},
      wanted: 2,
      maxScanned: 4,
    });
    expect(page).toMatchObject({ events: [], checkpoint: 'c3', caughtUp: false });
    expect(reads).toHaveLength(2);
    const rest = await readOwnEvents(readAll, {
      organizationId: 'a',
      after: page.checkpoint,
      filter: {},
      wanted: 2,
      maxScanned: 4,
    });
    expect(ids(rest)).toEqual(['e6']);
  });

  it('passes the filter through and keeps the checkpoint on an empty log', async () => {
    const { readAll, reads } = logOf([]);
    const page = await readOwnEvents(readAll, {
      organizationId: 'a',
      after: 'start',
      filter: { categories: ['alert'] },
      wanted: 10,
      maxScanned: 100,
    });
    expect(page).toEqual({ events: [], checkpoint: 'start', caughtUp: true });
    expect(reads[0]).toMatchObject({ filter: { categories: ['alert'] }, limit: 10 });
  });
});
