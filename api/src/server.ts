import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { type DependencyCheck, healthPlugin } from './health/health-plugin.js';
import { metricsPlugin } from './metrics/metrics-plugin.js';

export type ServerOptions = Readonly<{
  logger: FastifyBaseLogger;
  checks: readonly DependencyCheck[];
  isStarted: () => boolean;
  registry: Registry;
  bodyLimitBytes?: number;
}>;

/** The HTTP surface of an API process; each area is its own encapsulated fastify plugin. */
export const buildServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    disableRequestLogging: false,
  });
  await app.register(healthPlugin, { checks: options.checks, isStarted: options.isStarted });
  await app.register(metricsPlugin, { registry: options.registry });
  return app;
};
