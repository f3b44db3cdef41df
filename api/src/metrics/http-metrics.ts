import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/**
 * HTTP request latency by method, route pattern and status class. Route patterns (not URLs) keep the
 * label set bounded; unmatched paths share one label.
 */
export const observeHttpRequests = (app: FastifyInstance, registry: Registry): void => {
  const histogram = new Histogram({
    name: 'netpulse_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
};
