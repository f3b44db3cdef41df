import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import type { Registry } from 'prom-client';
import { authArea } from '../auth/auth-area.js';
import type { PresentedCredentials } from '../auth/identity-ports.js';
import type { ApiLimits } from '../limits/api-limits.js';
import { costLimitRule } from '../limits/cost-limit.js';
import { depthLimitRule } from '../limits/depth-limit.js';
import { liveArea, liveSubscriptionPolicies } from '../live/live-area.js';
import { ApiError, rateLimited } from './api-error.js';
import { mergeAreas } from './area.js';
import { auditorsArea } from './auditors/auditors-area.js';
import { commonArea } from './common/common-area.js';
import type { ApiContext } from './context.js';
import { formatErrors } from './error-formatter.js';
import { operationMetrics } from './operation-metrics.js';
import { operatorsArea } from './operators/operators-area.js';
import type { ApiPorts } from './ports.js';
import { serveGraphqlOverWebSocket } from './ws/graphql-ws-route.js';
import { PreparedDocuments } from './ws/prepared-documents.js';
import { SubscriptionGroups } from './ws/subscription-groups.js';
import { attachSubscriptionResolvers } from './ws/subscription-resolvers.js';

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
  const merged = mergeAreas([commonArea, authArea, operatorsArea, auditorsArea, liveArea]);
  const { Subscription: subscriptionResolvers, ...resolvers } = merged.resolvers;
  const metrics = operationMetrics(options.registry);
  const validationRules = [depthLimitRule(limits), costLimitRule(limits)];

  /**
   * What every operation passes before it runs. A query, mutation or subscription over a WebSocket
   * answers to the credentials as they stand now, not as they stood at connect (the context is this
   * operation's own copy).
   */
  const admit = async (apiContext: ApiContext, request: FastifyRequest | undefined) => {
    if (apiContext.reauthenticate) {
      try {
        apiContext.principal = await apiContext.reauthenticate();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        apiContext.principal = null;
        apiContext.authError = error;
      }
    }
    const verdict = await ports.rateLimiter.consume(rateKey(apiContext, request));
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
  };

  // Documents are validated against the executable schema, which exists once mercurius is registered below.
  let documents: PreparedDocuments | null = null;
  const preparedDocuments = () => {
    documents ??= new PreparedDocuments(app.graphql.schema, validationRules);
    return documents;
  };
  const groups = new SubscriptionGroups();
  await serveGraphqlOverWebSocket(app, '/graphql', () => ({
    schema: app.graphql.schema,
    documents: preparedDocuments(),
    groups,
    policies: liveSubscriptionPolicies,
    connect: async (payload) => {
      const credentials = credentialsFrom(payload);
      const identified = await identify({ ports, limits }, credentials);
      return { ...identified, reauthenticate: () => ports.identity.authenticate(credentials) };
    },
    admit,
    execute: (query, context, variables, operationName) =>
      app.graphql(query, context, variables as Record<string, unknown> | undefined, operationName),
    formatErrors: (errors) => formatErrors({ errors }, app.log).response.errors,
    log: app.log,
    keepAliveMs: 30_000,
    initTimeoutMs: 10_000,
  }));

  await app.register(mercurius, {
    schema: merged.schema,
    resolvers,
    path: '/graphql',
    graphiql: options.graphiql,
    validationRules,
    allowBatchedQueries: false,
    // Compile a document with graphql-jit on its second execution: dashboards and integrations
    // send the same few documents over and over, and compiled execution of a 50-row page costs a
    // fraction of graphql-js's interpretation.
    jit: 1,
    context: async (request: FastifyRequest) =>
      identify({ ports, limits }, credentialsFrom(request.headers as Record<string, unknown>)),
    errorFormatter: (execution, context) =>
      formatErrors(execution, (context as { reply?: { log: typeof app.log } }).reply?.log ?? app.log),
  });

  attachSubscriptionResolvers(
    app.graphql.schema,
    subscriptionResolvers as Record<string, unknown> | undefined,
  );

  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const apiContext = context as unknown as ApiContext & {
      reply?: { request: FastifyRequest };
      request?: FastifyRequest;
    };
    await admit(apiContext, apiContext.reply?.request ?? apiContext.request);
    metrics.started(document, context as unknown as object);
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    metrics.finished(execution, context as unknown as object);
  });
};
