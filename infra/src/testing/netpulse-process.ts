import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, freePort, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';

const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/** Schemas shared by every process of one test deployment (one event store, one set of read models). */
export type TestDeployment = Readonly<{
  eventStoreSchema: string;
  readModelSchema: string;
  adminEmail: string;
  adminPassword: string;
  jwtSecret: string;
  organizationId: string;
  dataDir: string;
  /** Drops the schemas and the data folder. */
  dispose: () => Promise<void>;
}>;

/** `schemas` names an event store the caller filled beforehand (benchmarks); fresh ones otherwise. */
export const createTestDeployment = (
  label: string,
  schemas: Readonly<{ eventStore: string; readModels: string }> = {
    eventStore: uniqueSchemaName(`${label}_es`),
    readModels: uniqueSchemaName(`${label}_rm`),
  },
): TestDeployment => {
  const eventStoreSchema = schemas.eventStore;
  const readModelSchema = schemas.readModels;
  const dataDir = mkdtempSync(join(tmpdir(), `netpulse-${label}-`));
  return {
    eventStoreSchema,
    readModelSchema,
    adminEmail: 'admin@netpulse.test',
    adminPassword: 'correct-horse-battery-staple',
    jwtSecret: 'test-jwt-secret-that-is-at-least-32-characters',
    organizationId: 'default',
    dataDir,
    dispose: async () => {
      await dropSchema(eventStoreSchema);
      await dropSchema(readModelSchema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export type NetPulseProcess = Readonly<{
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process printed so far (JSON log lines and Node warnings). */
  output: () => string;
  /** SIGTERM and wait; SIGKILL after the timeout. Resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}>;

const waitForReady = async (url: string, child: ChildProcess, output: () => string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`netpulse exited with ${child.exitCode}:\n${output().slice(-4000)}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url}/ready did not answer within ${timeoutMs} ms:\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/**
 * Starts a real `netpulse <command>` process (from the TypeScript sources) against the test
 * PostgreSQL, in the deployment's schemas, and waits until /ready answers (unless told not to).
 */
export const startNetPulse = async (
  deployment: TestDeployment,
  options: Readonly<{
    command?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Extra Node flags (benchmarks: `--cpu-prof`, which NODE_OPTIONS does not accept). */
    nodeArgs?: readonly string[];
    /** False returns as soon as the process is spawned (tests of what happens during start-up). */
    waitUntilReady?: boolean;
  }> = {},
): Promise<NetPulseProcess> => {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', '--conditions=source', main, options.command ?? 'start'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: testDatabaseUrl(),
        EVENT_STORE_SCHEMA: deployment.eventStoreSchema,
        NETPULSE_READ_MODEL_SCHEMA: deployment.readModelSchema,
        NETPULSE_DATA_DIR: deployment.dataDir,
        NETPULSE_TRAP_PORT: String(await freePort()),
        NETPULSE_ADMIN_EMAIL: deployment.adminEmail,
        NETPULSE_ADMIN_PASSWORD: deployment.adminPassword,
        JWT_SECRET: deployment.jwtSecret,
        NETPULSE_ORGANIZATION_ID: deployment.organizationId,
        // Several processes per test and several tests at once share one PostgreSQL.
        DATABASE_POOL_SIZE: '4',
        // CI exports a broker for the Kafka tests; a deployment uses Kafka (and Redis) only when its test asks.
        KAFKA_BROKERS: '',
        REDIS_URL: '',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    // A long-running test must not hold every log line forever.
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const url = `http://127.0.0.1:${port}`;
  const read = () => output;
  try {
    if (options.waitUntilReady !== false) await waitForReady(url, child, read, options.timeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    port,
    url,
    output: read,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      return code;
    },
  };
};
