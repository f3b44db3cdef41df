import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, freePort, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const main = join(repo, 'infra/src/cli/main.ts');

export type NetPulse = Readonly<{
  url: string;
  email: string;
  password: string;
  /** Everything the process printed (JSON log lines), for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}>;

const waitForReady = async (url: string, child: ChildProcess, output: () => string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`NetPulse exited with ${child.exitCode}:\n${output().slice(-4000)}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`NetPulse not ready within ${timeoutMs} ms:\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

/**
 * A real NetPulse (`netpulse start`: API, poller, reactors, projector) from the sources, on the
 * PostgreSQL test service with schemas of its own, on a free loopback port. Serves web/dist at `/`.
 */
export const startNetPulse = async (
  env: Readonly<Record<string, string>> = {},
  /** Schemas to use (e.g. an event store the caller filled first); fresh ones otherwise. Dropped on stop. */
  schemas: Readonly<{ events: string; readModels: string }> = {
    events: uniqueSchemaName('web_es'),
    readModels: uniqueSchemaName('web_rm'),
  },
): Promise<NetPulse> => {
  const port = await freePort();
  const eventSchema = schemas.events;
  const readSchema = schemas.readModels;
  const dataDir = await mkdtemp(join(tmpdir(), 'netpulse-web-'));
  const email = 'admin@netpulse.test';
  const password = `pw-${Math.random().toString(36).slice(2, 12)}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'start'], {
    cwd: repo,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: testDatabaseUrl(),
      EVENT_STORE_SCHEMA: eventSchema,
      NETPULSE_READ_MODEL_SCHEMA: readSchema,
      NETPULSE_DATA_DIR: dataDir,
      NETPULSE_ADMIN_EMAIL: email,
      NETPULSE_ADMIN_PASSWORD: password,
      NETPULSE_TRAPS_ENABLED: 'false',
      NETPULSE_TRAP_PORT: String(await freePort()),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 2_000_000) log = log.slice(-1_000_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const output = () => log;
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const exited = once(child, 'exit');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await Promise.all([dropSchema(eventSchema), dropSchema(readSchema)]).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(url, child, output, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, email, password, output, stop };
};

/** A GraphQL call from the test itself (setup and cross-checks only; the UI is driven in the browser). */
export const graphql = async <T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
};

export const login = async (server: NetPulse): Promise<string> => {
  const { login: session } = await graphql<{ login: { accessToken: string } }>(
    server.url,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { email: server.email, password: server.password },
  );
  return session.accessToken;
};
