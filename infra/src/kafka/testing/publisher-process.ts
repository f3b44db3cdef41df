/**
 * A publisher process for the crash test: runs the integration reactor on the test's schema and
 * topics until it is killed (SIGKILL, no goodbye). Started by publisher-crash.int.test.ts with
 * `node --conditions=source --import tsx`. Prints `active` once it holds the reactor's lease.
 */
import { createIntegrationReactor, silentReactorLogger, startReactorRunner } from '@netpulse/commands';
import { systemClock } from '@netpulse/domain';
import { testDatabaseUrl } from '@netpulse/testing';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store.js';
import { createPool } from '../../postgres/pool.js';
import { PostgresAdvisoryLock } from '../../roles/reactor/advisory-lock.js';
import { PostgresReactorCheckpoints } from '../../roles/reactor/postgres-checkpoints.js';
import { KafkaIntegrationPublisher } from '../kafka-publisher.js';
import { kafkaBrokers } from './kafka-fixture.js';

const schema = process.env.NETPULSE_IT_SCHEMA ?? '';
const prefix = process.env.NETPULSE_IT_PREFIX ?? '';
const batchSize = Number(process.env.NETPULSE_IT_BATCH_SIZE ?? '10');
if (!schema || !prefix) throw new Error('NETPULSE_IT_SCHEMA and NETPULSE_IT_PREFIX are required');

const connectionString = testDatabaseUrl();
const store = await PostgresEventStore.connect({ connectionString, schema, pollIntervalMs: 50 });
const checkpoints = new PostgresReactorCheckpoints(createPool({ connectionString, max: 2 }), schema);
const publisher = new KafkaIntegrationPublisher({
  brokers: kafkaBrokers(),
  clientId: 'netpulse-it-child',
  topicPartitions: 3,
  topicReplicationFactor: null,
  logger: silentReactorLogger,
});
const runner = startReactorRunner({
  reactor: createIntegrationReactor({ publisher, topicPrefix: prefix, batchSize }),
  store,
  checkpoints,
  lock: new PostgresAdvisoryLock({ connectionString, namespace: schema, heartbeatMs: 200 }),
  clock: systemClock,
  logger: silentReactorLogger,
  standbyRetryMs: 50,
});
const announce = setInterval(() => {
  if (runner.status() === 'active') {
    process.stdout.write('active\n');
    clearInterval(announce);
  }
}, 10);
