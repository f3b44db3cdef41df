import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type BackendCheck, detectBackend } from './backend.js';

/** The PostgreSQL service the tests use; TEST_DATABASE_URL overrides it. */
export const testDatabaseUrl = (): string =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const detectPostgres = (): Promise<BackendCheck> =>
  detectBackend('PostgreSQL service', async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      await client.query('select 1');
    } finally {
      await client.end();
    }
  });

/** A fresh schema per test file keeps parallel test files from seeing each other's rows. */
export const uniqueSchemaName = (prefix = 't'): string => `${prefix}_${randomBytes(6).toString('hex')}`;

export const dropSchema = async (schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
};
