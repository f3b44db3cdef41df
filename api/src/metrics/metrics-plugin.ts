import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export type MetricsOptions = Readonly<{ registry: Registry }>;

/** `/metrics` in the Prometheus text format, from the one registry every role of the process shares. */
export const metricsPlugin: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  app.get('/metrics', async (_request, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });
};
