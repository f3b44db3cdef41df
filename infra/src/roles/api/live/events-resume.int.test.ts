import type { RecordedEvent } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlWsClient } from '../../../testing/graphql-client.js';
import {
  createLiveDeployment,
  detectRedis,
  eventually,
  type LiveDeployment,
  type LiveProcess,
  testRedisUrl,
} from './testing/live-deployment.js';

const postgres = await detectPostgres();
const redis = await detectRedis();

type Delivered = { events: { eventId: string; checkpoint: string; organizationId: string } };
const EVENTS = `subscription ($after: String) { events(after: $after) { eventId checkpoint organizationId } }`;

/**
 * Cuts this deployment's Redis connections of one type, as a network blip would: `pubsub` ends the
 * subscribers (what is published until they are back is lost), `normal` the publisher's.
 */
const cutRedis = async (namespace: string, type: 'pubsub' | 'normal') => {
  const admin = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  try {
    const list = (await admin.call('CLIENT', 'LIST', 'TYPE', type)) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=netpulse-live:${namespace} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await admin.call('CLIENT', 'KILL', 'ID', id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
};

const gapsHeard = async (process: LiveProcess): Promise<number> => {
  const metric = await process.registry.getSingleMetric('netpulse_live_feed_gaps_total')?.get();
  return metric?.values[0]?.value ?? 0;
};

/**
 * The integrators' resumable feed over a real graphql-ws client, the real PostgreSQL event store and
 * Redis between two API processes: a client resuming from a checkpoint gets every later event of its
 * organization exactly once, in order, while appends continue through the replay→live switch and
 * Redis drops the subscribers' connections on the way.
 */
describe.skipIf(!postgres.available || !redis.available)('resumable events subscription', () => {
  let deployment: LiveDeployment;
  let publisherSide: LiveProcess;
  let otherSide: LiveProcess;

  beforeAll(async () => {
    // Short replay pages make the replay take many reads, so appends land during it.
    deployment = await createLiveDeployment('resume', {
      redis: true,
      tuning: { limits: { replayPageSize: 20 } },
    });
    const first = await deployment.startProcess();
    const second = await deployment.startProcess();
    await eventually(() => first.live.publisherActive() || second.live.publisherActive(), 'a publisher');
    [publisherSide, otherSide] = first.live.publisherActive() ? [first, second] : [second, first];
  });

  afterAll(async () => {
    await deployment?.dispose();
  });

  /** Events of org-a written so far. */
  let written = 0;
  /** One round of appends: 5 events of org-a over two streams, 1 of org-b. */
  const writeRound = async (round: number) => {
    written += 5;
    await Promise.all([
      deployment.append('org-a', `resume-${round % 4}`, 3),
      deployment.append('org-a', `resume-${(round + 1) % 4}`, 2),
      deployment.append('org-b', 'resume-b', 1),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 15));
  };
  const write = async (rounds: number) => {
    for (let round = 0; round < rounds; round++) await writeRound(round);
  };

  it('resumes after a checkpoint with no gap and no duplicate while appends continue and Redis drops out', async () => {
    await write(24);
    const history = await deployment.storedAtLeast('org-a', written);
    const resumeAfter = history[39]!;

    const client = graphqlWsClient(otherSide.url, 'Bearer integrator-a');
    const received = collectSubscription<Delivered>(client, EVENTS, { after: resumeAfter.checkpoint });
    try {
      const gapsBefore = await gapsHeard(otherSide);
      let cut = 0;
      // Subscriber connections are cut as fast as they come back until a publication is lost in
      // transit (this process then hears a gap), whatever the publisher's pace; appends go on
      // meanwhile, and the publisher's own connection is cut once too.
      let cutting = true;
      const cutter = (async () => {
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && (await gapsHeard(otherSide)) === gapsBefore) {
          cut += await cutRedis(deployment.eventSchema, 'pubsub');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        cutting = false;
      })();
      for (let round = 0; round < 40 || cutting; round++) {
        await writeRound(round);
        if (round === 30) cut += await cutRedis(deployment.eventSchema, 'normal');
      }
      await cutter;
      expect(cut).toBeGreaterThanOrEqual(3);
      const expected = (await deployment.storedAtLeast('org-a', written)).filter(
        (event) => deployment.store.compareCheckpoints(event.checkpoint, resumeAfter.checkpoint) > 0,
      );
      await eventually(
        () => received.received.length >= expected.length,
        `${expected.length} events`,
        60_000,
      );
      // Anything doubled would arrive right behind: give it the chance to.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const got = received.received.map((message) => message.data?.events);
      expect(received.received.every((message) => message.errors === undefined)).toBe(true);
      expect(got.map((event) => event?.eventId)).toEqual(expected.map((event) => event.id));
      expect(got.every((event) => event?.organizationId === 'org-a')).toBe(true);
      // The cut lost messages in transit, and the subscription repaired the gap from the store.
      expect(await gapsHeard(otherSide)).toBeGreaterThan(gapsBefore);
    } finally {
      received.unsubscribe();
      await client.dispose();
    }
  }, 120_000);

  it('a client that reconnects with its last checkpoint continues exactly where it left off', async () => {
    const client = graphqlWsClient(publisherSide.url, 'Bearer integrator-a');
    const writing = write(30);
    const firstRun = collectSubscription<Delivered>(client, EVENTS, { after: 'start' });
    await eventually(
      () => firstRun.received.length >= 150,
      'the first 150 events',
      60_000,
      () => `received ${firstRun.received.length}, closed with ${JSON.stringify(firstRun.closedWith())}`,
    );
    firstRun.unsubscribe();
    const kept: RecordedEvent['id'][] = firstRun.received.map((message) => message.data!.events.eventId);
    const last = firstRun.received.at(-1)?.data?.events.checkpoint;
    expect(last).toBeDefined();

    const secondRun = collectSubscription<Delivered>(client, EVENTS, { after: last });
    try {
      await writing;
      const expected = await deployment.storedAtLeast('org-a', written);
      await eventually(
        () => kept.length + secondRun.received.length >= expected.length,
        `${expected.length} events over two runs`,
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const all = [...kept, ...secondRun.received.map((message) => message.data!.events.eventId)];
      expect(all).toEqual(expected.map((event) => event.id));
    } finally {
      secondRun.unsubscribe();
      await client.dispose();
    }
  }, 120_000);

  it('rejects a checkpoint this store did not issue, with a typed error', async () => {
    const client = graphqlWsClient(otherSide.url, 'Bearer integrator-a');
    const run = collectSubscription<Delivered>(client, EVENTS, { after: 'C:1/P:1' });
    try {
      await eventually(() => run.closedWith() !== null, 'the subscription to fail');
      expect(JSON.stringify(run.closedWith())).toContain('VALIDATION_FAILED');
    } finally {
      await client.dispose();
    }
  });

  it('refuses callers without events:read', async () => {
    const client = graphqlWsClient(otherSide.url, 'Bearer viewer-a');
    const run = collectSubscription<Delivered>(client, EVENTS, {});
    try {
      await eventually(() => run.closedWith() !== null, 'the subscription to fail');
      expect(JSON.stringify(run.closedWith())).toContain('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });
});
