import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { detectPostgres } from '@netpulse/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, graphqlHttp, loginAs } from '../testing/graphql-client.js';
import {
  createTestDeployment,
  type NetPulseProcess,
  startNetPulse,
  type TestDeployment,
} from '../testing/netpulse-process.js';
import { detectRedis, testRedisUrl } from '../testing/redis.js';

const postgres = await detectPostgres();
const redis = await detectRedis();

/** The Node processes a process forked (its API workers; the poller's `ping`s are left out). */
const nodeChildren = (pid: number): number[] => {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    return [];
  }
  return children.filter((child) => {
    try {
      return readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'node';
    } catch {
      return false;
    }
  });
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `probe` holds; the deadline only bounds a broken run, it asserts nothing about speed. */
const eventually = async <T>(probe: () => T | Promise<T>, holds: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe.skipIf(!postgres.available || !redis.available)('netpulse start with API_WORKERS=2', () => {
  let deployment: TestDeployment | undefined;
  let server: NetPulseProcess | undefined;
  afterEach(async () => {
    const workers = server ? nodeChildren(server.child.pid!) : [];
    await server?.stop('SIGKILL');
    for (const pid of workers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await deployment?.dispose();
  });

  const start = async (env: Record<string, string> = {}) => {
    const created = createTestDeployment('api_workers');
    deployment = created;
    const started = await startNetPulse(created, {
      env: { API_WORKERS: '2', REDIS_URL: testRedisUrl(), ...env },
      timeoutMs: 120_000,
    });
    server = started;
    const workers = await eventually(
      () => nodeChildren(started.child.pid ?? 0),
      (pids) => pids.length === 2,
    );
    return { server: started, deployment: created, workers };
  };

  it('serves the API from two workers, replaces one that dies and stops them with itself', async () => {
    const { server, deployment, workers } = await start();
    const token = await loginAs(server.url, deployment.adminEmail, deployment.adminPassword);
    const page = await graphqlHttp(server.url, '{ devices(first: 5) { nodes { deviceId } } }', {}, token);
    expect(page.errors).toBeUndefined();

    // Any worker answers for the group: the primary's projector beside the workers' HTTP histograms.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^netpulse_projection_events_applied_total/m);
    expect(metrics).toMatch(/^netpulse_http_request_duration_seconds_count/m);

    process.kill(workers[0]!, 'SIGKILL');
    const replaced = await eventually(
      () => nodeChildren(server.child.pid!),
      (pids) => pids.length === 2 && !pids.includes(workers[0]!),
    );
    expect(replaced).toContain(workers[1]);
    await eventually(
      async () => (await fetch(`${server.url}/ready`).catch(() => null))?.status,
      (status) => status === 200,
    );

    // Waits as long as the stop takes (the harness's stop would SIGKILL a slow one on a loaded machine).
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(replaced.filter(alive)).toEqual([]);
    // They stopped on their own, not killed after the primary gave up waiting.
    expect(server.output()).not.toContain('did not stop in time');
  }, 180_000);

  it('stops when asked to while its workers are still starting, and leaves none behind', async () => {
    const created = createTestDeployment('api_workers');
    deployment = created;
    const spawned = await startNetPulse(created, {
      env: { API_WORKERS: '2', REDIS_URL: testRedisUrl(), LOG_LEVEL: 'info' },
      waitUntilReady: false,
    });
    server = spawned;
    // The first worker is forked once the other roles run; the primary then waits for it to listen.
    const forked = await eventually(
      () => nodeChildren(spawned.child.pid ?? 0),
      (pids) => pids.length > 0,
    );
    const exited = once(spawned.child, 'exit');
    spawned.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(spawned.output()).toContain('stop asked for during start-up');
    await eventually(
      () => [...forked, ...nodeChildren(spawned.child.pid ?? 0)].filter(alive),
      (left) => left.length === 0,
    );
  }, 180_000);

  it('limits one identity across both workers to exactly its budget', async () => {
    const limit = 40;
    const { server, deployment } = await start({ RATE_LIMIT_PER_MINUTE: String(limit) });
    const token = await loginAs(server.url, deployment.adminEmail, deployment.adminPassword);
    // Sent at once, over as many connections as fetch opens: both workers take from one budget.
    const responses = await Promise.all(
      Array.from({ length: 70 }, () => graphqlHttp(server.url, '{ me { permissions } }', {}, token)),
    );
    const codes = responses.map((response) => errorCode(response) ?? 'ok');
    expect(codes.filter((code) => code === 'ok')).toHaveLength(limit);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(70 - limit);
  }, 180_000);

  it('workers end when the primary is killed outright', async () => {
    const { server, workers } = await start();
    const exited = once(server.child, 'exit');
    server.child.kill('SIGKILL');
    await exited;
    await eventually(
      () => workers.filter(alive),
      (left) => left.length === 0,
    );
  }, 180_000);
});
