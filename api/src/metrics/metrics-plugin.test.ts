import Fastify from 'fastify';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metricsPlugin } from './metrics-plugin.js';

describe('/metrics', () => {
  it('serves the shared registry in the Prometheus text format', async () => {
    const registry = new Registry();
    const probes = new Counter({
      name: 'test_probes_total',
      help: 'probes',
      labelNames: ['result'],
      registers: [registry],
    });
    probes.inc({ result: 'ok' }, 3);
    const app = Fastify();
    await app.register(metricsPlugin, { registry });
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('test_probes_total{result="ok"} 3');
  });

  it('answers from its source when given one (an API worker speaking for its group)', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_local_total', help: 'local only', registers: [registry] }).inc();
    const app = Fastify();
    await app.register(metricsPlugin, {
      registry,
      source: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'test_group_total 7\n' }),
    });
    const response = await app.inject({ url: '/metrics' });
    expect(response.body).toBe('test_group_total 7\n');
  });
});
