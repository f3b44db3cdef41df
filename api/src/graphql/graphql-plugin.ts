import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import type { Registry } from 'prom-client';
import { authArea } from '../auth/auth-area.js';
import type { PresentedCredentials } from '../auth/identity-ports.js';
import type { ApiLimits } from '../limits/api-limits.js';
import { costLimitRule } from '../limits/cost-limit.js';
import { liveArea } from '../live/live-area.js';
import { ApiError, rateLimited } from './api-error.js';
import { mergeAreas } from './area.js';
import { auditorsArea } from './auditors/auditors-area.js';
import { commonArea } from './common/common-area.js';
import type { ApiContext } from './context.js';
import { formatErrors } from './error-formatter.js';
import { operationMetrics } from './operation-metrics.js';
import { operatorsArea } from './operators/operators-area.js';
import type { ApiPorts } from './ports.js';

export type GraphqlPluginOptions = Readonly<{
  ports: ApiPorts;
  limits: ApiLimits;
  registry: Registry;
  /** GraphiQL at /graphiql: development only. */
  graphiql: boolean;
}>;

const credentialsFrom = (source: Record<string, unknown> | undefined): PresentedCredentials => {
  const nested = source?.headers;
  const headers = (typeof nested === 'object' && nested !== null ? nested : source) as Record<
    string,
    unknown
  >;
  const authorization = headers?.authorization ?? headers?.Authorization;
  const apiKey = headers?.apiKey;
  if (typeof authorization === 'string') return { authorization };
  if (typeof apiKey === 'string') return { authorization: `ApiKey ${apiKey}` };
  return {};
};

/**
 * Resolves who is calling. Bad credentials do not fail here: the context records why, and the
 * first resolver that needs a caller reports UNAUTHENTICATED, so `login` still works.
 */
const identify = async (
  base: Pick<ApiContext, 'ports' | 'limits'>,
  credentials: PresentedCredentials,
): Promise<ApiContext> => {
  try {
    return { ...base, principal: await base.ports.identity.authenticate(credentials) };
  } catch (error) {
    if (error instanceof ApiError) return { ...base, principal: null, authError: error };
    throw error;
  }
};

const rateKey = (context: ApiContext, request: FastifyRequest | undefined): string =>
  context.principal
    ? `${context.principal.kind}:${context.principal.organizationId}:${context.principal.id}`
    : `ip:${request?.ip ?? 'unknown'}`;

/** `/graphql` over HTTP and WebSocket (graphql-transport-ws), composed from the API's areas. */
export const graphqlPlugin: FastifyPluginAsync<GraphqlPluginOptions> = async (app, options) => {
  const { ports, limits } = options;
  const { schema, resolvers } = mergeAreas([commonArea, authArea, operatorsArea, auditorsArea, liveArea]);
  const metrics = operationMetrics(options.registry);

  await app.register(mercurius, {
    schema,
    resolvers,
    path: '/graphql',
    graphiql: options.graphiql,
    queryDepth: limits.maxDepth,
    validationRules: [costLimitRule(limits)],
    allowBatchedQueries: false,
    // Compile a document with graphql-jit on its second execution: dashboards and integrations
    // send the same few documents over and over, and compiled execution of a 50-row page costs a
    // fraction of graphql-js's interpretation.
    jit: 1,
    context: async (request: FastifyRequest) =>
      identify({ ports, limits }, credentialsFrom(request.headers as Record<string, unknown>)),
    errorFormatter: (execution, context) =>
      formatErrors(execution, (context as { reply?: { log: typeof app.log } }).reply?.log ?? app.log),
    subscription: {
      fullWsTransport: true,
      keepAlive: 30_000,
      onConnect: async ({ payload }) => {
        const credentials = credentialsFrom(payload as Record<string, unknown> | undefined);
        const identified = await identify({ ports, limits }, credentials);
        return {
          principal: identified.principal,
          authError: identified.authError,
          reauthenticate: () => ports.identity.authenticate(credentials),
        };
      },
      context: async () => ({ ports, limits, principal: null }),
    },
  });

  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const apiContext = context as unknown as ApiContext & { reply?: { request: FastifyRequest } };
    // A query or mutation over a WebSocket answers to the credentials as they stand now, not as
    // they stood at connect (the context is this operation's own copy).
    if (apiContext.reauthenticate) {
      try {
        apiContext.principal = await apiContext.reauthenticate();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        apiContext.principal = null;
        apiContext.authError = error;
      }
    }
    const verdict = await ports.rateLimiter.consume(rateKey(apiContext, apiContext.reply?.request));
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
    metrics.started(document, context as unknown as object);
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    metrics.finished(execution, context as unknown as object);
  });
};
