import {
  type AppendResult,
  type Event,
  isTelemetryStream,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
  type StreamAppend,
  type StreamRetention,
  type SubscribeOptions,
  type Subscription,
  validationFailed,
} from '@netpulse/domain';
import type pg from 'pg';
import { migrate } from '../../postgres/migrator.js';
import { createPool, quoteIdent } from '../../postgres/pool.js';
import { normalizeAppends, validateAppends } from '../append-validation.js';
import { EventStoreBase } from '../event-store-base.js';
import { type AppendMode, type AppendOutcome, appendLocked, appendWithKnownHeads } from './append.js';
import { topicsFor } from './append-topics.js';
import { compareCheckpoints } from './checkpoint.js';
import { HeadCache } from './head-cache.js';
import { notifyAppended, PgNotifier } from './notifier.js';
import { TelemetryPartitions } from './partitions.js';
import { readAll, readPage, readStream } from './read.js';
import { eventStoreMigrations, notifyChannel } from './schema.js';
import { startPollingSubscription } from './subscription.js';
import { occurredAt } from './telemetry.js';

export type PostgresEventStoreOptions = Readonly<{
  connectionString: string;
  /** PostgreSQL schema holding the store's tables (default `netpulse`). */
  schema?: string;
  poolSize?: number;
  /** Fallback wake-up for caught-up subscriptions when no notification arrives. */
  pollIntervalMs?: number;
  /** Attempts for an append that lost a race it can safely retry (deadlock, a stream created meanwhile). */
  maxAppendAttempts?: number;
  onError?: (error: unknown) => void;
}>;

type PgError = Error & { code?: string; constraint?: string };
const isPgError = (error: unknown): error is PgError => error instanceof Error && 'code' in error;

const CONNECTION_LOST = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Why an append attempt failed, and whether trying again can succeed. When the connection dropped,
 * the commit may or may not have happened: the retry recognises stored event ids, so it is safe.
 */
const classify = (error: unknown): 'duplicate-event' | 'race' | 'connection-lost' | 'bad-data' | 'fatal' => {
  if (!(error instanceof Error)) return 'fatal';
  if (/Connection terminated|connection timeout/i.test(error.message)) return 'connection-lost';
  if (!isPgError(error)) return 'fatal';
  if (CONNECTION_LOST.has(error.code ?? '') || error.code?.startsWith('08')) return 'connection-lost';
  if (error.code === '23505') {
    // events_event_id_key, or the per-partition index PostgreSQL derives from telemetry_events_event_id_key.
    return error.constraint?.includes('event_id') ? 'duplicate-event' : 'race';
  }
  if (error.code === '40P01' || error.code === '40001') return 'race';
  // Class 22 (data exception), e.g. a \u0000 in a string, which PostgreSQL's JSON parsing refuses
  // (json_to_recordset's, for the json columns of telemetry too).
  if (error.code?.startsWith('22')) return 'bad-data';
  return 'fatal';
};

export class PostgresEventStore extends EventStoreBase {
  readonly schema: string;
  private readonly notifier: PgNotifier;
  private readonly partitions: TelemetryPartitions;
  private readonly heads = new HeadCache();
  private readonly channel: string;

  private constructor(
    readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {
    super();
    this.schema = options.schema ?? 'netpulse';
    this.channel = notifyChannel(this.schema);
    this.notifier = new PgNotifier({
      connectionString: options.connectionString,
      channel: this.channel,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.partitions = new TelemetryPartitions(pool, this.schema);
  }

  /** Connects and applies the store's migrations. */
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = createPool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      applicationName: 'netpulse-event-store',
    });
    const store = new PostgresEventStore(pool, options);
    try {
      await migrate(pool, store.schema, eventStoreMigrations(store.schema));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> {
    const normalized = normalizeAppends(appends);
    validateAppends(normalized);
    const now = new Date();
    const telemetryTimes = normalized
      .filter((append) => isTelemetryStream(append.streamId))
      .flatMap((append) => append.events.map((event) => occurredAt(event, now)));
    if (telemetryTimes.length > 0) await this.partitions.ensure(telemetryTimes);

    const attempts = this.options.maxAppendAttempts ?? 5;
    let mode: AppendMode = { checkExisting: false, now, begin: true };
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome =
          (!mode.checkExisting && (await this.appendOptimistically(normalized, now))) ||
          (await this.appendOnce(normalized, mode));
        for (const [id, head] of outcome.heads) this.heads.set(id, head);
        return outcome.results;
      } catch (error) {
        this.heads.forget(normalized.map((append) => append.streamId));
        const kind = classify(error);
        // Retrying data the database cannot store would block the writer forever: it is the caller's error.
        if (kind === 'bad-data')
          throw validationFailed(`event data cannot be stored: ${(error as Error).message}`);
        if (kind === 'fatal' || attempt >= attempts) throw error;
        // A duplicate id means part of this append is already stored: retry recognising stored ids.
        if (kind === 'duplicate-event' || kind === 'connection-lost') mode = { ...mode, checkExisting: true };
        if (kind === 'connection-lost')
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  /** One statement when every head is known; null when some head is not. */
  private async appendOptimistically(
    appends: readonly StreamAppend[],
    now: Date,
  ): Promise<AppendOutcome | null> {
    if (!appends.every((append) => this.heads.get(append.streamId))) return null;
    // A client whose connection dropped is discarded by the pool on release (see createPool).
    const client = await this.pool.connect();
    try {
      const outcome = await appendWithKnownHeads(
        client,
        this.schema,
        appends,
        (id) => this.heads.get(id),
        now,
      );
      if (outcome) await notifyAppended(client, this.channel, outcome.written);
      return outcome;
    } finally {
      client.release();
    }
  }

  private async appendOnce(appends: readonly StreamAppend[], mode: AppendMode): Promise<AppendOutcome> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      const outcome = await appendLocked(client, this.schema, appends, mode);
      await client.query('commit');
      await notifyAppended(client, this.channel, outcome.written);
      return outcome;
    } catch (error) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection that could not even roll back is discarded rather than reused.
      client.release(broken);
    }
  }

  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>> {
    return readStream(this.pool, this.schema, streamId, options) as Promise<ReadStreamResult<E>>;
  }

  readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    return readAll(this.pool, this.schema, options);
  }

  compareCheckpoints(a: string, b: string): number {
    return compareCheckpoints(a, b);
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.notifier.start();
    // Notifications name what was appended to: wake only for what this filter can read.
    const topics = topicsFor(options.filter);
    return startPollingSubscription(
      {
        readAll: (read) => readPage(this.pool, this.schema, read),
        generation: () => this.notifier.currentGeneration,
        waitForChange: (seen, timeoutMs, anyTable) =>
          this.notifier.waitForChange(seen, timeoutMs, anyTable ? undefined : topics),
        pollIntervalMs: this.options.pollIntervalMs ?? 500,
      },
      options,
    );
  }

  async setStreamRetention(streamId: string, retention: StreamRetention): Promise<void> {
    if (!Number.isInteger(retention.maxAgeSeconds) || retention.maxAgeSeconds < 1) {
      throw validationFailed('maxAgeSeconds must be a positive whole number of seconds');
    }
    const { rowCount } = await this.pool.query(
      `update ${quoteIdent(this.schema)}.streams set max_age_seconds = $2 where stream_id = $1`,
      [streamId, retention.maxAgeSeconds],
    );
    if (!rowCount) throw validationFailed(`stream ${streamId} does not exist`);
  }

  /** Drops telemetry partitions older than the retention (whole days). */
  pruneTelemetry(retentionDays: number, now = new Date()): Promise<string[]> {
    return this.partitions.dropOlderThan(retentionDays, now);
  }

  async close(): Promise<void> {
    await this.notifier.stop();
    await this.pool.end();
  }
}
