import {
  createIntegrationReactor,
  type IntegrationMessage,
  type IntegrationPublisher,
  type PendingPublish,
} from '@netpulse/commands';
import { detectPostgres } from '@netpulse/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../event-store/postgres/checkpoint.js';
import { type Fixture, openFixture } from '../roles/reactor/testing/reactor-fixture.js';
import { EVENTS_PER_DEVICE, seedHistory } from './testing/seed-history.js';

const postgres = await detectPostgres();
const poll = { timeout: 30_000, interval: 20 };
const BATCH = 16;

/**
 * A broker in memory behind a publisher that keeps the `enqueue` contract: one queue, so per key
 * in hand-over order; each publish is written some milliseconds later. Publish number `failAt` is
 * half written, then fails, late enough that the runner has handed over the next batch already;
 * from then on everything fails unsent until `prepare`.
 */
class FlakyBroker implements IntegrationPublisher {
  readonly written: IntegrationMessage[] = [];
  enqueued = 0;
  /** Whether a publish was handed over while the one before was unacknowledged. */
  overlapped = false;
  private pending = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private failed = false;

  constructor(private readonly failAt: number) {}

  async prepare(): Promise<void> {
    await this.tail;
    this.failed = false;
  }

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    await this.prepare();
    await this.enqueue(messages).acknowledged;
  }

  enqueue(messages: readonly IntegrationMessage[]): PendingPublish {
    const number = ++this.enqueued;
    if (this.pending > 0) this.overlapped = true;
    this.pending += 1;
    const acknowledged = this.tail.then(async () => {
      if (this.failed) throw new Error('refused: an earlier publish failed');
      await new Promise((resolve) => setTimeout(resolve, 15));
      if (number === this.failAt) {
        this.written.push(...messages.slice(0, messages.length / 2));
        this.failed = true;
        throw new Error('connection lost mid-batch');
      }
      this.written.push(...messages);
    });
    this.tail = acknowledged
      .catch(() => {})
      .finally(() => {
        this.pending -= 1;
      });
    return { acknowledged };
  }
}

describe.skipIf(!postgres.available)('integration publisher pipelined by the reactor runner', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    cleanup.length = 0;
  });

  const seeded = async (
    devices: number,
  ): Promise<{ fx: Fixture; owed: string[]; positions: Map<string, bigint> }> => {
    const fx = await openFixture();
    cleanup.push(() => fx.close());
    await seedHistory(
      fx.store,
      Array.from({ length: devices }, (_, i) => `pipelined-${i}`),
    );
    const rows = (
      await fx.pool.query<{ id: string; position: string }>(
        `select event_id::text as id, global_position::text as position
         from "${fx.schema}".events order by global_position`,
      )
    ).rows;
    expect(rows).toHaveLength(devices * EVENTS_PER_DEVICE);
    return {
      fx,
      owed: rows.map((row) => row.id),
      positions: new Map(rows.map((row) => [row.id, BigInt(row.position)])),
    };
  };

  it('overlaps batches, checkpoints only acknowledged ones, and resends from the checkpoint after a failure', async () => {
    const { fx, owed, positions } = await seeded(20);
    const broker = new FlakyBroker(4);
    const unacknowledgedAtSave: string[] = [];
    const runner = fx.run(
      createIntegrationReactor({ publisher: broker, topicPrefix: 'it', batchSize: BATCH }),
      {
        checkpoints: {
          load: (name) => fx.checkpoints.load(name),
          save: async (name, checkpoint) => {
            const upTo = decodeCheckpoint(checkpoint).globalPosition;
            const written = new Set(broker.written.map((message) => message.value.eventId));
            unacknowledgedAtSave.push(...owed.filter((id) => positions.get(id)! <= upTo && !written.has(id)));
            await fx.checkpoints.save(name, checkpoint);
          },
        },
      },
    );
    cleanup.push(() => runner.stop());
    await expect
      .poll(() => new Set(broker.written.map((message) => message.value.eventId)).size, poll)
      .toBe(owed.length);
    await runner.stop();

    // Every event, and per key the first copies in global order.
    const firstCopies = new Map<string, number[]>();
    const seen = new Set<string>();
    const position = new Map(owed.map((id, index) => [id, index]));
    expect(await fx.checkpoints.load('integration-publisher')).not.toBeNull();
    for (const message of broker.written) {
      if (seen.has(message.value.eventId)) continue;
      seen.add(message.value.eventId);
      const key = `${message.topic}/${message.key}`;
      firstCopies.set(key, [...(firstCopies.get(key) ?? []), position.get(message.value.eventId)!]);
    }
    expect(seen).toEqual(new Set(owed));
    for (const [key, positions] of firstCopies)
      expect(positions, key).toEqual([...positions].sort((a, b) => a - b));
    // Resent: the failed 4th batch (its first half was written) and nothing before it.
    const copies = new Map<string, number>();
    for (const message of broker.written)
      copies.set(message.value.eventId, (copies.get(message.value.eventId) ?? 0) + 1);
    const twice = owed.filter((id) => (copies.get(id) ?? 0) > 1);
    expect(twice.length).toBeGreaterThan(0);
    expect(Math.min(...twice.map((id) => position.get(id)!))).toBeGreaterThanOrEqual(3 * BATCH);
    // The next batch was handed over while the one before was unacknowledged, yet no checkpoint
    // ever covered an event the broker had not taken.
    expect(broker.overlapped).toBe(true);
    expect(unacknowledgedAtSave).toEqual([]);
  }, 60_000);
});
