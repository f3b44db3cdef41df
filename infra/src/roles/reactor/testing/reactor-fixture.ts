import { randomUUID } from 'node:crypto';
import {
  createCommandBus,
  type Reactor,
  type ReactorRunner,
  type ReactorRunnerOptions,
  silentReactorLogger,
  startReactorRunner,
} from '@netpulse/commands';
import {
  alertKeyOf,
  type Clock,
  CURRENT_SCHEMA_VERSION,
  type DeviceState,
  deviceDecider,
  type EventToAppend,
  type RecordedEvent,
  type ReductionKey,
  streamCategories,
  streamId,
} from '@netpulse/domain';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import type pg from 'pg';
import { decodeCheckpoint } from '../../../event-store/postgres/checkpoint.js';
import { PostgresEventStore } from '../../../event-store/postgres/postgres-event-store.js';
import { createPool } from '../../../postgres/pool.js';
import { PostgresAdvisoryLock } from '../advisory-lock.js';
import { PostgresReactorCheckpoints } from '../postgres-checkpoints.js';

export const ORG = 'org-reactor-it';
export const T0 = Date.parse('2025-06-01T12:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private time = T0) {}
  now(): Date {
    return new Date(this.time);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export type ObservationKind = 'ok' | 'slow' | 'lossy' | 'fail';

const metadata = () => {
  const id = randomUUID();
  return {
    organizationId: ORG,
    actor: { kind: 'poller' as const, id: 'poller-it' },
    correlationId: id,
    causationId: id,
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
};

export const observation = (
  deviceId: string,
  kind: ObservationKind,
  when: Date,
  extra: { lossPct?: number } = {},
) => {
  const failed = kind === 'fail';
  const lossPct = extra.lossPct ?? (kind === 'lossy' ? 33.3 : failed ? 100 : 0);
  return {
    deviceId,
    pollerId: 'poller-it',
    probe: 'icmp',
    scheduledAt: when.toISOString(),
    observedAt: when.toISOString(),
    durationMs: 5,
    reachable: !failed,
    error: failed ? { code: 'TIMEOUT', message: 'no reply' } : null,
    icmp: failed
      ? { sent: 3, received: 0, lossPct: 100, rttMinMs: null, rttAvgMs: null, rttMaxMs: null, jitterMs: null }
      : {
          sent: 3,
          received: lossPct > 0 ? 2 : 3,
          lossPct,
          rttMinMs: 1,
          rttAvgMs: kind === 'slow' ? 900 : 2,
          rttMaxMs: 3,
          jitterMs: 0,
        },
    tcp: null,
    snmp: null,
  };
};

/** A PostgreSQL event store in a schema of its own, with the helpers the reactor tests share. */
export const openFixture = async () => {
  const schema = uniqueSchemaName('reactor');
  const connectionString = testDatabaseUrl();
  const store = await PostgresEventStore.connect({ connectionString, schema, pollIntervalMs: 50 });
  const pool: pg.Pool = createPool({ connectionString, max: 4 });
  await PostgresReactorCheckpoints.migrate(pool, schema);
  const checkpoints = new PostgresReactorCheckpoints(pool, schema);
  const bus = createCommandBus({ store, locateAlert: async () => null });
  const runners: ReactorRunner[] = [];

  const command = (type: string, data: Record<string, unknown>, now: Date = at(0)) =>
    bus.execute(
      { type, data },
      { commandId: randomUUID(), now, organizationId: ORG, actor: { kind: 'user', id: 'operator-it' } },
    );

  const fixture = {
    schema,
    connectionString,
    store,
    pool,
    checkpoints,
    command,
    register: (deviceId: string, profile: { parentId?: string | null; tags?: string[] } = {}) =>
      command('RegisterDevice', {
        deviceId,
        name: deviceId,
        address: '127.0.0.1',
        kind: 'switch',
        tags: profile.tags ?? [],
        parentId: profile.parentId ?? null,
      }),
    /** Appends observations the way the poller does, one every 30 s of observation time from `from`. */
    observe: async (deviceId: string, kinds: readonly ObservationKind[], from = 0) => {
      const events: EventToAppend[] = kinds.map((kind, i) => ({
        id: randomUUID(),
        type: 'DeviceObserved',
        data: observation(deviceId, kind, at(from + i * 30)),
        metadata: metadata(),
      }));
      await store.appendToStream(streamId(streamCategories.observations, deviceId), events, {
        expectedVersion: 'any',
      });
    },
    /** ICMP observations with these loss percentages, one every 30 s from `from`. */
    observeLoss: async (deviceId: string, losses: readonly number[], from = 0) => {
      const events: EventToAppend[] = losses.map((lossPct, i) => ({
        id: randomUUID(),
        type: 'DeviceObserved',
        data: observation(deviceId, 'ok', at(from + i * 30), { lossPct }),
        metadata: metadata(),
      }));
      await store.appendToStream(streamId(streamCategories.observations, deviceId), events, {
        expectedVersion: 'any',
      });
    },
    alertStream: (key: ReductionKey) => streamId(streamCategories.alert, alertKeyOf(key)),
    appendRaw: (stream: string, type: string, data: Record<string, unknown>) =>
      store.appendToStream(stream, [{ id: randomUUID(), type, data, metadata: metadata() }], {
        expectedVersion: 'any',
      }),
    device: async (deviceId: string): Promise<DeviceState> =>
      (await store.aggregateStream(streamId(streamCategories.device, deviceId), deviceDecider)).state,
    events: async (stream: string): Promise<readonly RecordedEvent[]> =>
      (await store.readStream(stream)).events,
    statuses: async (deviceId: string): Promise<string[]> =>
      (await store.readStream(streamId(streamCategories.device, deviceId))).events
        .filter((event) => event.type === 'DeviceStatusChanged')
        .map((event) => (event.data as { to: string }).to),
    run: (reactor: Reactor, options: Partial<ReactorRunnerOptions> = {}): ReactorRunner => {
      const runner = startReactorRunner({
        reactor,
        store,
        checkpoints,
        lock: new PostgresAdvisoryLock({ connectionString, namespace: schema, heartbeatMs: 200 }),
        clock: new ManualClock(),
        logger: silentReactorLogger,
        standbyRetryMs: 50,
        ...options,
      });
      runners.push(runner);
      return runner;
    },
    /**
     * True once the reactor's stored checkpoint has passed every stored event its filter selects.
     * Asked of the tables, not of readAll: readAll hides fresh commits while any other session's
     * transaction holds the snapshot horizon back (a shared server), which would end waits early.
     */
    caughtUp: async (reactor: Reactor): Promise<boolean> => {
      const checkpoint = await checkpoints.load(reactor.name);
      if (checkpoint === null) return false;
      const position = decodeCheckpoint(checkpoint);
      const { categories = [], eventTypes = [] } = reactor.filter;
      const behind = (table: string) =>
        `select 1 from "${schema}".${table} where category = any($1::text[]) and type = any($2::text[])
           and (transaction_id, global_position) > ($3::text::xid8, $4::bigint)`;
      const { rows } = await pool.query(
        `select exists (${behind('events')} union all ${behind('telemetry_events')}) as behind`,
        [categories, eventTypes, position.transactionId.toString(), position.globalPosition.toString()],
      );
      return rows[0]?.behind === false;
    },
    close: async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
      await store.close();
      await pool.end();
      await dropSchema(schema);
    },
  };
  return fixture;
};

export type Fixture = Awaited<ReturnType<typeof openFixture>>;
