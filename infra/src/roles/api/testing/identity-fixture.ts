import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createCommandBus } from '@netpulse/commands';
import { type Actor, type Checkpoint, type CommandMetadata, START, streamCategories } from '@netpulse/domain';
import { identitiesProjection, versionTables } from '@netpulse/projections';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pino from 'pino';
import { PostgresEventStore } from '../../../event-store/postgres/postgres-event-store.js';
import { createPool } from '../../../postgres/pool.js';
import type { Logger } from '../../../runtime/logger.js';

/** A pino logger (without the production redaction, so nothing is hidden from the test) that keeps every line. */
export const capturedLogger = (): Readonly<{ logger: Logger; text: () => string }> => {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), text: () => chunks.join('') };
};

/**
 * A real event store, command bus and identities read model in fresh schemas: commands go in
 * through the bus, `project()` applies what they wrote to the read model (as the projector would).
 */
export const createIdentityFixture = async (label: string) => {
  const eventStoreSchema = uniqueSchemaName(`${label}_es`);
  const readModelSchema = uniqueSchemaName(`${label}_rm`);
  const store = await PostgresEventStore.connect({
    connectionString: testDatabaseUrl(),
    schema: eventStoreSchema,
  });
  const pool = createPool({ connectionString: testDatabaseUrl(), max: 4 });
  const bus = createCommandBus({ store, locateAlert: async () => null });
  const projection = identitiesProjection();
  const tables = versionTables(readModelSchema, 1);
  await pool.query(`create schema "${readModelSchema}"`);
  for (const statement of projection.createStatements(tables)) await pool.query(statement);
  for (const [view, select] of projection.views(tables))
    await pool.query(`create or replace view "${readModelSchema}"."${view}" as ${select}`);
  let checkpoint: Checkpoint = START;

  const project = async () => {
    for (;;) {
      const page = await store.readAll({
        after: checkpoint,
        filter: { categories: [streamCategories.organization] },
        limit: 500,
      });
      if (page.events.length > 0) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await projection.apply(client, page.events, { ...tables, mode: 'live', afterCommit: () => {} });
          await client.query('commit');
        } finally {
          client.release();
        }
      }
      checkpoint = page.checkpoint;
      if (page.caughtUp || page.events.length === 0) return;
    }
  };

  const metadata = (organizationId: string, actor: Actor): CommandMetadata => ({
    commandId: randomUUID(),
    now: new Date(),
    organizationId,
    actor,
  });

  /** Sends a command and projects it, so the read model already shows it. */
  const run = async (organizationId: string, actor: Actor, command: { type: string; data: object }) => {
    const result = await bus.execute(command, metadata(organizationId, actor));
    await project();
    return result;
  };

  return {
    store,
    pool,
    bus,
    eventStoreSchema,
    readModelSchema,
    project,
    run,
    dispose: async () => {
      await store.close();
      await pool.end();
      await dropSchema(eventStoreSchema);
      await dropSchema(readModelSchema);
    },
  };
};
export type IdentityFixture = Awaited<ReturnType<typeof createIdentityFixture>>;
