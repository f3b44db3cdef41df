import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { detectPostgres, dropSchema, freePort, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { afterAll, describe, expect, it } from 'vitest';

const postgres = await detectPostgres();
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

const waitFor = async (url: string, timeoutMs: number): Promise<Response> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe.skipIf(!postgres.available)('netpulse start', () => {
  const schema = uniqueSchemaName('cli');
  const readSchema = uniqueSchemaName('cli_read');
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await dropSchema(schema);
    await dropSchema(readSchema);
  });

  it('migrates, serves /health and /ready, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'start'], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: testDatabaseUrl(),
        EVENT_STORE_SCHEMA: schema,
        NETPULSE_READ_MODEL_SCHEMA: readSchema,
        NETPULSE_TRAP_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });

    const ready = await waitFor(`http://127.0.0.1:${port}/ready`, 30_000);
    expect(await ready.json()).toEqual({ ready: true });
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', checks: { eventStore: { status: 'up' } } });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    // Node may print its own warnings; the log lines are the JSON ones.
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down']));
  }, 60_000);

  it('refuses to start with an invalid setting and names it', async () => {
    const result = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'start'], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    result.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(result, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
  }, 30_000);
});
