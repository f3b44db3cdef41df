import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

export type WebOptions = Readonly<{ root: string }>;

/**
 * Serves the built dashboard at `/`. Client-side routes (/alerts, /devices/…) fall back to
 * index.html; API paths never do, so a typo in /graphql stays a 404.
 */
export const webPlugin: FastifyPluginAsync<WebOptions> = async (app, options) => {
  if (!existsSync(join(options.root, 'index.html'))) {
    app.log.warn({ root: options.root }, 'dashboard not built (npm run build); serving the API only');
    return;
  }
  await app.register(fastifyStatic, {
    root: options.root,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
  });
  app.setNotFoundHandler((request, reply) => {
    const apiPath = /^\/(graphql|graphiql|health|ready|metrics)(\/|$)/.test(request.url);
    if (request.method === 'GET' && !apiPath && request.headers.accept?.includes('text/html'))
      return reply.sendFile('index.html');
    return reply.code(404).send({ error: 'Not Found' });
  });
};
