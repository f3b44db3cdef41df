import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import { describe, expect, it } from 'vitest';
import { createPool } from './pool.js';

const postgres = await detectPostgres();

describe.skipIf(!postgres.available)('PostgreSQL pool', () => {
  it('survives the database dropping a borrowed connection: the work fails, the process stays up, the pool recovers', async () => {
    const pool = createPool({
      connectionString: testDatabaseUrl(),
      max: 2,
      applicationName: 'netpulse-pool-test',
    });
    const admin = createPool({ connectionString: testDatabaseUrl(), max: 1 });
    try {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        // Give the 'error' event time to arrive while the client is borrowed and idle.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await expect(client.query('select 1')).rejects.toThrow();
      } finally {
        client.release();
      }
      const { rows } = await pool.query<{ ok: number }>('select 1 as ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await pool.end();
      await admin.end();
    }
  });
});
