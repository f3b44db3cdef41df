import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CheckpointStore,
  createIntegrationReactor,
  type IntegrationPublisher,
  integrationTopics,
  type ReactorRunner,
  silentReactorLogger,
} from '@netpulse/commands';
import { detectPostgres } from '@netpulse/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, openFixture } from '../roles/reactor/testing/reactor-fixture.js';
import { KafkaIntegrationPublisher } from './kafka-publisher.js';
import {
  deleteTopicsWithPrefix,
  detectKafka,
  kafkaBrokers,
  TopicRecorder,
  uniqueTopicPrefix,
} from './testing/kafka-fixture.js';
import { EVENTS_PER_DEVICE, seedHistory } from './testing/seed-history.js';

const postgres = await detectPostgres();
const kafka = await detectKafka();
const poll = { timeout: 45_000, interval: 20 };
const root = resolve(fileURLToPath(import.meta.url), '../../../..');

type Owed = { id: string; stream: string; version: string };

const newPublisher = () =>
  new KafkaIntegrationPublisher({
    brokers: kafkaBrokers(),
    clientId: 'netpulse-it-crash',
    topicPartitions: 3,
    topicReplicationFactor: null,
    logger: silentReactorLogger,
  });

describe.skipIf(!postgres.available || !kafka.available)('Kafka publisher killed and restarted', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    cleanup.length = 0;
  });

  /** A fresh event store, topics and consumer; `devices` histories appended before any publisher runs. */
  const setUp = async (name: string, devices: number) => {
    const fx = await openFixture();
    cleanup.push(() => fx.close());
    const prefix = uniqueTopicPrefix(name);
    cleanup.push(() => deleteTopicsWithPrefix(prefix));
    const topics = integrationTopics(prefix);
    const names = [topics.deviceStatus, topics.alerts, topics.devices];
    const setup = newPublisher();
    await setup.prepare(names);
    await setup.close();
    const recorder = await TopicRecorder.start(names, name);
    cleanup.push(() => recorder.close());
    await seedHistory(
      fx.store,
      Array.from({ length: devices }, (_, i) => `${name}-${i}`),
    );
    const owed = (
      await fx.pool.query<Owed>(
        `select event_id::text as id, stream_id as stream, stream_version::text as version
         from "${fx.schema}".events order by global_position`,
      )
    ).rows;
    expect(owed).toHaveLength(devices * EVENTS_PER_DEVICE);
    return { fx, prefix, recorder, owed };
  };

  /** Runs a healthy publisher until the consumer has seen every owed event. */
  const restart = async (fx: Fixture, prefix: string, recorder: TopicRecorder, owed: readonly Owed[]) => {
    const publisher = newPublisher();
    cleanup.push(() => publisher.close());
    const runner = fx.run(createIntegrationReactor({ publisher, topicPrefix: prefix, batchSize: 16 }));
    await expect.poll(() => recorder.eventIds().size, poll).toBe(owed.length);
    await runner.stop();
  };

  /** Every owed event at least once, nothing else, and per key the first copies in stream order. */
  const assertAtLeastOnceInOrder = (recorder: TopicRecorder, owed: readonly Owed[]) => {
    expect(recorder.eventIds()).toEqual(new Set(owed.map((event) => event.id)));
    const position = new Map(
      owed.map((event) => [event.id, `${event.stream}@${event.version.padStart(6, '0')}`]),
    );
    const firstSeen = new Map<string, string[]>();
    const seen = new Set<string>();
    const byOffset = [...recorder.messages].sort((a, b) =>
      a.topic === b.topic && a.partition === b.partition
        ? Number(a.offset - b.offset)
        : `${a.topic}/${a.partition}`.localeCompare(`${b.topic}/${b.partition}`),
    );
    for (const message of byOffset) {
      const id = message.headers['event-id'] ?? '';
      if (seen.has(id)) continue;
      seen.add(id);
      const key = `${message.topic}/${message.key}`;
      firstSeen.set(key, [...(firstSeen.get(key) ?? []), position.get(id)!]);
    }
    for (const [key, positions] of firstSeen) expect(positions, key).toEqual([...positions].sort());
  };

  const duplicatesOf = (recorder: TopicRecorder): Set<string> => {
    const counts = new Map<string, number>();
    for (const message of recorder.messages) {
      const id = message.headers['event-id'] ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return new Set([...counts].filter(([, count]) => count > 1).map(([id]) => id));
  };

  it('killed after the broker took part of a batch: the restart re-sends exactly that batch', async () => {
    const { fx, prefix, recorder, owed } = await setUp('midbatch', 20);
    const dying = newPublisher();
    cleanup.push(() => dying.close());
    let runner: ReactorRunner | null = null;
    let calls = 0;
    let dead = false;
    let halfSent: string[] = [];
    const killedMidBatch: IntegrationPublisher = {
      prepare: (topics) => dying.prepare(topics),
      publish: async (messages) => {
        if (dead) throw new Error('this process is dead');
        if (++calls < 4) return dying.publish(messages);
        const half = messages.slice(0, Math.ceil(messages.length / 2));
        await dying.publish(half);
        halfSent = half.map((message) => message.value.eventId);
        dead = true;
        void runner?.stop();
        throw new Error('killed after part of the batch reached the broker');
      },
    };
    runner = fx.run(
      createIntegrationReactor({ publisher: killedMidBatch, topicPrefix: prefix, batchSize: 16 }),
    );
    await expect.poll(() => dead, poll).toBe(true);
    await runner.stop();
    await dying.close();
    // 3 whole batches and half of the 4th reached the broker before the kill.
    await expect.poll(() => recorder.messages.length, poll).toBe(3 * 16 + 8);

    await restart(fx, prefix, recorder, owed);
    assertAtLeastOnceInOrder(recorder, owed);
    // The 4th batch was sent again whole: its first half twice, nothing else twice.
    expect(duplicatesOf(recorder)).toEqual(new Set(halfSent));
    expect(recorder.messages).toHaveLength(owed.length + halfSent.length);
  }, 90_000);

  it('killed after the broker acknowledged a batch, before its checkpoint: that batch (and the one sent behind it) comes again', async () => {
    const { fx, prefix, recorder, owed } = await setUp('precheckpoint', 20);
    let saves = 0;
    let dead = false;
    let runner: ReactorRunner | null = null;
    const killedBeforeSave: CheckpointStore = {
      load: (name) => fx.checkpoints.load(name),
      save: async (name, checkpoint) => {
        if (dead) throw new Error('this process is dead');
        if (++saves < 3) return fx.checkpoints.save(name, checkpoint);
        dead = true;
        void runner?.stop();
        throw new Error('killed before storing the checkpoint');
      },
    };
    const dying = newPublisher();
    cleanup.push(() => dying.close());
    runner = fx.run(createIntegrationReactor({ publisher: dying, topicPrefix: prefix, batchSize: 16 }), {
      checkpoints: killedBeforeSave,
    });
    await expect.poll(() => dead, poll).toBe(true);
    await runner.stop();
    await dying.close();
    // Batches are 16 events of the global order (every seeded event is published). The runner hands
    // the next batch to the publisher while one is unacknowledged, so the 4th may be out too.
    await expect.poll(() => recorder.messages.length >= 3 * 16, poll).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = recorder.messages.length;
    expect([3 * 16, 4 * 16]).toContain(sent);
    expect(recorder.eventIds()).toEqual(new Set(owed.slice(0, sent).map((event) => event.id)));

    await restart(fx, prefix, recorder, owed);
    assertAtLeastOnceInOrder(recorder, owed);
    // From the 3rd batch on, the one whose checkpoint was lost: sent again, nothing before it.
    expect(duplicatesOf(recorder)).toEqual(new Set(owed.slice(32, sent).map((event) => event.id)));
  }, 90_000);

  it('a publisher process killed with SIGKILL while publishing loses nothing after a restart', async () => {
    const { fx, prefix, recorder, owed } = await setUp('sigkill', 150);
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'infra/src/kafka/testing/publisher-process.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          NETPULSE_IT_SCHEMA: fx.schema,
          NETPULSE_IT_PREFIX: prefix,
          NETPULSE_IT_BATCH_SIZE: '10',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanup.push(async () => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // Killed once a third of the backlog is out, preferably while the consumer holds part of a batch
    // of 10 (so the child is most likely between the acknowledgement and its checkpoint); after half,
    // at whatever moment it is.
    const received = () => recorder.messages.length;
    await expect
      .poll(
        () =>
          (received() >= owed.length / 3 && received() % 10 !== 0) ||
          received() >= owed.length / 2 ||
          child.exitCode !== null,
        { ...poll, interval: 2 },
      )
      .toBe(true);
    expect(child.exitCode, stderr).toBeNull();
    child.kill('SIGKILL');
    await once(child, 'exit');
    const beforeRestart = recorder.eventIds().size;
    expect(beforeRestart).toBeLessThan(owed.length);

    await restart(fx, prefix, recorder, owed);
    assertAtLeastOnceInOrder(recorder, owed);
    console.info(
      `[kafka crash test] killed at ${beforeRestart}/${owed.length} events; ` +
        `${duplicatesOf(recorder).size} delivered twice after the restart`,
    );
  }, 90_000);
});
