import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthPlugin } from './health-plugin.js';

const serve = async (checks: { name: string; check: () => Promise<void> }[], started = true) => {
  const app = Fastify();
  await app.register(healthPlugin, { checks, isStarted: () => started, timeoutMs: 100 });
  return app;
};

describe('health and readiness', () => {
  it('reports every dependency and answers 200 when all are up', async () => {
    const app = await serve([{ name: 'eventStore', check: async () => {} }]);
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', checks: { eventStore: { status: 'up' } } });
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
  });

  it('answers 503 naming the dependency that is down or too slow', async () => {
    const app = await serve([
      { name: 'eventStore', check: async () => {} },
      { name: 'redis', check: () => Promise.reject(new Error('ECONNREFUSED')) },
      { name: 'kafka', check: () => new Promise(() => {}) },
    ]);
    const health = await app.inject({ url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().checks).toMatchObject({
      redis: { status: 'down', error: 'ECONNREFUSED' },
      kafka: { status: 'down', error: 'no answer within 100 ms' },
    });
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reason).toBe('dependencies down: redis, kafka');
  });

  it('is not ready while starting even when dependencies are up', async () => {
    const app = await serve([{ name: 'eventStore', check: async () => {} }], false);
    expect((await app.inject({ url: '/ready' })).json()).toEqual({ ready: false, reason: 'starting' });
  });
});
