import type { RecordedEvent } from '@netpulse/domain';
import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLiveDeployment,
  detectRedis,
  eventually,
  type LiveDeployment,
  type LiveProcess,
} from './testing/live-deployment.js';

const postgres = await detectPostgres();
const redis = await detectRedis();

const hear = async (process: LiveProcess, organizationId: string) => {
  const heard: RecordedEvent[] = [];
  let gaps = 0;
  const unlisten = await process.live.ports.feed.listen(organizationId, {
    onEvent: (event) => heard.push(event),
    onGap: () => {
      gaps += 1;
    },
  });
  return { heard, gaps: () => gaps, unlisten };
};

const published = async (process: LiveProcess): Promise<number> => {
  const metric = await process.registry.getSingleMetric('netpulse_live_feed_published_events_total')?.get();
  return metric?.values[0]?.value ?? 0;
};

const ids = (events: readonly RecordedEvent[]) => events.map((event) => event.id);

/**
 * Fan-out across API processes over the real Redis and PostgreSQL: one publisher per deployment
 * (an advisory lock elects it), every process hears every event in the store's order, and a standby
 * takes over without losing what was appended during the hand-over.
 */
describe.skipIf(!postgres.available || !redis.available)('live feed across API processes on Redis', () => {
  let deployment: LiveDeployment;
  let first: LiveProcess;
  let second: LiveProcess;

  beforeAll(async () => {
    deployment = await createLiveDeployment('fanout', { redis: true });
    first = await deployment.startProcess();
    second = await deployment.startProcess();
  });

  afterAll(async () => {
    await deployment?.dispose();
  });

  it('elects one publisher, and both processes hear every event of the organization in global order', async () => {
    await eventually(
      () => Number(first.live.publisherActive()) + Number(second.live.publisherActive()) === 1,
      'exactly one publisher',
    );
    const onFirst = await hear(first, 'org-a');
    const onSecond = await hear(second, 'org-a');
    const otherOrg = await hear(second, 'org-b');
    const before = await deployment.stored('org-a');
    const beforeCount = before.length;

    const writer = async (stream: string) => {
      for (let batch = 0; batch < 10; batch++) await deployment.append('org-a', stream, 3);
    };
    await Promise.all([
      writer('fanout-1'),
      writer('fanout-2'),
      writer('fanout-3'),
      deployment.append('org-b', 'fanout-b', 20),
    ]);
    const expected = (await deployment.storedAtLeast('org-a', beforeCount + 90)).slice(beforeCount);

    await eventually(
      () => onFirst.heard.length >= 90 && onSecond.heard.length >= 90,
      'both processes to hear 90',
    );
    expect(ids(onFirst.heard)).toEqual(ids(expected));
    expect(ids(onSecond.heard)).toEqual(ids(expected));
    expect(otherOrg.heard).toHaveLength(20);
    expect(otherOrg.heard.every((event) => event.metadata.organizationId === 'org-b')).toBe(true);
    for (const listener of [onFirst, onSecond, otherOrg]) listener.unlisten();
  });

  it('when PostgreSQL drops the publisher lock session, publishing resumes without losing an event', async () => {
    const listener = await hear(second, 'org-a');
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      await deployment.append('org-a', 'lockloss-1', 3);
      await eventually(() => listener.heard.length === 3, 'events before the lock loss');
      // The session holding this deployment's publisher lock (key: namespace and name), as a failover would end it.
      const { rowCount } = await admin.query(
        `select pg_terminate_backend(pid) from pg_locks
         where locktype = 'advisory' and objsubid = 2
           and classid::bigint = (hashtext('netpulse.reactor')::bigint + 4294967296) % 4294967296
           and objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296`,
        [`${deployment.eventSchema}:api-live-feed`],
      );
      expect(rowCount).toBe(1);
      await deployment.append('org-a', 'lockloss-2', 4);
      await eventually(
        () => first.live.publisherActive() || second.live.publisherActive(),
        'a publisher again',
      );
      await deployment.append('org-a', 'lockloss-3', 2);
      await eventually(() => listener.heard.length === 9, 'all 9 events', 20_000);
      expect(new Set(ids(listener.heard)).size).toBe(9);
    } finally {
      await admin.end();
      listener.unlisten();
    }
  });

  it('a standby takes over when the publisher stops, and publishes what was appended meanwhile', async () => {
    const [publisher, standby] = first.live.publisherActive() ? [first, second] : [second, first];
    const listener = await hear(standby, 'org-a');
    await deployment.append('org-a', 'handover-1', 5);
    await eventually(
      () => listener.heard.length === 5,
      'the standby to hear events while the other publishes',
    );

    const publishedBefore = await published(standby);
    await publisher.stop();
    // Nobody publishes now: these wait in the store for the next publisher.
    await deployment.append('org-a', 'handover-2', 7);
    await eventually(() => standby.live.publisherActive(), 'the standby to take over');
    await deployment.append('org-a', 'handover-3', 4);
    await eventually(() => listener.heard.length === 16, 'all 16 events on the standby');
    const streams = listener.heard.map((event) => event.streamId);
    expect(streams.filter((stream) => stream === 'handover-2')).toHaveLength(7);
    expect(new Set(ids(listener.heard)).size).toBe(16);
    // The new publisher continued from the saved position (it published only the 11 new events, not
    // the whole log again) and the feed never skipped.
    expect((await published(standby)) - publishedBefore).toBe(11);
    expect(listener.gaps()).toBe(0);
    listener.unlisten();
  });
});

describe.skipIf(!postgres.available)('live feed without Redis', () => {
  let deployment: LiveDeployment;

  beforeAll(async () => {
    deployment = await createLiveDeployment('fanlocal', { redis: false });
  });

  afterAll(async () => {
    await deployment?.dispose();
  });

  it('each process publishes to itself in memory and hears every event in order', async () => {
    const single = await deployment.startProcess();
    await eventually(() => single.live.publisherActive(), 'the in-process publisher');
    const listener = await hear(single, 'org-a');
    await Promise.all([deployment.append('org-a', 'local-1', 10), deployment.append('org-a', 'local-2', 10)]);
    const expected = await deployment.storedAtLeast('org-a', 20);
    await eventually(() => listener.heard.length === 20, '20 events');
    expect(ids(listener.heard)).toEqual(ids(expected));
    listener.unlisten();
  });
});
