import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

/** The exposition `/metrics` answers with. */
export type MetricsText = Readonly<{ contentType: string; body: string }>;

export type MetricsOptions = Readonly<{
  registry: Registry;
  /**
   * Where the exposition comes from instead of `registry` alone: an API worker answers for its whole
   * group of processes, so a scrape sees the same series whichever worker the port hands it to.
   */
  source?: () => Promise<MetricsText>;
}>;

/** `/metrics` in the Prometheus text format, from the one registry every role of the process shares. */
export const metricsPlugin: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  const { registry } = options;
  const source =
    options.source ?? (async () => ({ contentType: registry.contentType, body: await registry.metrics() }));
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await source();
    return reply.type(contentType).send(body);
  });
};
