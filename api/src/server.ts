import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { type GraphqlPluginOptions, graphqlPlugin } from './graphql/graphql-plugin.js';
import { type DependencyCheck, healthPlugin } from './health/health-plugin.js';
import { observeHttpRequests } from './metrics/http-metrics.js';
import { type MetricsText, metricsPlugin } from './metrics/metrics-plugin.js';
import { webPlugin } from './web/web-plugin.js';

export type ServerOptions = Readonly<{
  logger: FastifyBaseLogger;
  checks: readonly DependencyCheck[];
  isStarted: () => boolean;
  registry: Registry;
  /** `/metrics` from elsewhere than `registry` (an API worker answers for its whole group). */
  metrics?: () => Promise<MetricsText>;
  bodyLimitBytes?: number;
  /** The GraphQL API; absent in processes that expose only health and metrics (pollers, projectors). */
  graphql?: Omit<GraphqlPluginOptions, 'registry'>;
  /** Folder of the built dashboard, served at `/` when it exists. */
  webRoot?: string;
}>;

/** The HTTP surface of a NetPulse process; each area is its own encapsulated fastify plugin. */
export const buildServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    disableRequestLogging: true,
  });
  observeHttpRequests(app, options.registry);
  await app.register(healthPlugin, { checks: options.checks, isStarted: options.isStarted });
  await app.register(metricsPlugin, {
    registry: options.registry,
    ...(options.metrics ? { source: options.metrics } : {}),
  });
  if (options.graphql) await app.register(graphqlPlugin, { ...options.graphql, registry: options.registry });
  if (options.webRoot) await app.register(webPlugin, { root: options.webRoot });
  return app;
};
