import type { FastifyPluginAsync } from 'fastify';

/** A dependency the process needs (event store, read-model database, Redis, Kafka…). */
export type DependencyCheck = Readonly<{ name: string; check: () => Promise<void> }>;

export type HealthOptions = Readonly<{
  checks: readonly DependencyCheck[];
  /** True once start-up has finished (migrations applied, roles running). */
  isStarted: () => boolean;
  /** A check slower than this counts as down. */
  timeoutMs?: number;
}>;

type CheckReport = { status: 'up' | 'down'; latencyMs: number; error?: string };

const runCheck = async (dependency: DependencyCheck, timeoutMs: number): Promise<CheckReport> => {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dependency.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the message: stack traces and connection strings stay in the server log.
    const message = error instanceof Error ? error.message : 'check failed';
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `/health` reports each dependency's state (503 when any is down); `/ready` answers 200 only once
 * start-up has finished and every dependency is up, so a load balancer never routes to a process
 * that cannot serve.
 */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const report = async () => {
    const results = await Promise.all(options.checks.map((dep) => runCheck(dep, timeoutMs)));
    const checks = Object.fromEntries(options.checks.map((dep, i) => [dep.name, results[i]!]));
    const up = results.every((result) => result.status === 'up');
    return { up, checks };
  };

  app.get('/health', async (_request, reply) => {
    const { up, checks } = await report();
    return reply.code(up ? 200 : 503).send({ status: up ? 'ok' : 'degraded', checks });
  });

  app.get('/ready', async (_request, reply) => {
    if (!options.isStarted()) return reply.code(503).send({ ready: false, reason: 'starting' });
    const { up, checks } = await report();
    const down = Object.entries(checks)
      .filter(([, check]) => check.status === 'down')
      .map(([name]) => name);
    return reply
      .code(up ? 200 : 503)
      .send(up ? { ready: true } : { ready: false, reason: `dependencies down: ${down.join(', ')}` });
  });
};
