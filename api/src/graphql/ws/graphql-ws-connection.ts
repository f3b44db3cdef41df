import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import {
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  subscribe,
} from 'graphql';
import type WebSocket from 'ws';
import { watchAuthorization } from '../../live/authorization-watch.js';
import type { LiveSubscriptionPolicy } from '../../live/live-area.js';
import { LiveError, slowConsumer } from '../../live/live-errors.js';
import type { LiveField } from '../../live/live-ports.js';
import { ApiError } from '../api-error.js';
import { type ApiContext, authorize } from '../context.js';
import type { PreparedDocuments } from './prepared-documents.js';
import {
  type ClientMessage,
  closeWith,
  parseClientMessage,
  type SubscribePayload,
  serverFrame,
} from './protocol.js';
import { SocketSubscriber, type SubscriberEnd } from './socket-subscriber.js';
import { subscriberAuthorization } from './subscriber-authorization.js';
import type { SubscriptionGroups } from './subscription-groups.js';

/** What a connection needs from the GraphQL plugin that owns the schema and the context. */
export type WsTransport = Readonly<{
  schema: GraphQLSchema;
  documents: PreparedDocuments;
  groups: SubscriptionGroups;
  policies: Readonly<Record<LiveField, LiveSubscriptionPolicy>>;
  /** The caller the `connection_init` payload presents (refused credentials are reported on first use). */
  connect: (payload: Readonly<Record<string, unknown>> | undefined) => Promise<ApiContext>;
  /** What every operation passes first: the credentials authenticated again, the rate limit spent. */
  admit: (context: ApiContext, request: FastifyRequest) => Promise<void>;
  /** Queries and mutations, through mercurius (its hooks, compiled execution and error formatting). */
  execute: (
    query: string,
    context: ApiContext,
    variables: Readonly<Record<string, unknown>> | undefined,
    operationName: string | undefined,
  ) => Promise<ExecutionResult>;
  formatErrors: (errors: readonly GraphQLError[]) => GraphQLFormattedError[];
  log: FastifyBaseLogger;
  keepAliveMs: number;
  initTimeoutMs: number;
}>;

type Operation = { cancel: () => void };

const asGraphqlError = (error: unknown): GraphQLError =>
  error instanceof GraphQLError
    ? error
    : new GraphQLError(error instanceof Error ? error.message : String(error), {
        originalError: error instanceof Error ? error : undefined,
      });

/**
 * The one root field of a subscription (validation allows exactly one), also when it sits in a
 * fragment (validation has also refused fragment cycles).
 */
const rootField = (document: DocumentNode, selectionSet: SelectionSetNode): string | null => {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection.name.value;
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection
        : document.definitions.find(
            (definition): definition is FragmentDefinitionNode =>
              definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
          );
    const name = fragment ? rootField(document, fragment.selectionSet) : null;
    if (name) return name;
  }
  return null;
};

/**
 * One WebSocket speaking graphql-transport-ws (graphql-ws's PROTOCOL.md): `connection_init` within
 * `initTimeoutMs`, then `subscribe` / `complete` for any number of operations, `ping` / `pong` both
 * ways. Queries and mutations run as over HTTP; subscriptions run in groups (SubscriptionGroups),
 * each subscriber watched for its credentials and its pace.
 */
export class GraphqlWsConnection {
  private context: ApiContext | null = null;
  private initialising = false;
  private readonly operations = new Map<string, Operation>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
    private readonly transport: WsTransport,
  ) {
    const initTimer = setTimeout(() => {
      if (!this.context) this.close(closeWith.initTimeout);
    }, transport.initTimeoutMs);
    const keepAlive = setInterval(() => this.send(serverFrame({ type: 'ping' })), transport.keepAliveMs);
    initTimer.unref();
    keepAlive.unref();
    this.timers.push(initTimer, keepAlive);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.close(closeWith.badMessage('Invalid message received: binary'));
      void this.receive(String(data)).catch((error: unknown) => {
        transport.log.error({ err: error }, 'graphql-ws message failed');
        this.close(closeWith.internal);
      });
    });
    socket.on('close', () => this.closed());
    socket.on('error', (error) => transport.log.debug({ err: error }, 'graphql-ws socket error'));
  }

  private async receive(data: string): Promise<void> {
    const parsed = parseClientMessage(data);
    if (!parsed.ok) return this.close(closeWith.badMessage(parsed.reason));
    const message: ClientMessage = parsed.message;
    switch (message.type) {
      case 'connection_init':
        return this.init(message.payload ?? undefined);
      case 'ping':
        return this.send(serverFrame({ type: 'pong' }));
      case 'pong':
        return;
      case 'subscribe':
        if (!this.context) return this.close(closeWith.unauthorized);
        if (this.operations.has(message.id)) return this.close(closeWith.duplicate(message.id));
        return this.start(message.id, message.payload, this.context);
      case 'complete':
        this.operations.get(message.id)?.cancel();
        return;
    }
  }

  private async init(payload: Readonly<Record<string, unknown>> | undefined): Promise<void> {
    if (this.initialising || this.context) return this.close(closeWith.tooManyInits);
    this.initialising = true;
    this.context = await this.transport.connect(payload);
    this.send(serverFrame({ type: 'connection_ack' }));
  }

  private async start(id: string, payload: SubscribePayload, connection: ApiContext): Promise<void> {
    let cancelled = false;
    this.operations.set(id, {
      cancel: () => {
        cancelled = true;
        this.operations.delete(id);
      },
    });
    const done = () => this.operations.delete(id);
    const variables = payload.variables ?? undefined;
    const operationName = payload.operationName ?? undefined;
    // Each operation gets its own copy: mercurius and the resolvers write to the context they get.
    const context: ApiContext = { ...connection };
    Object.assign(context, { request: this.request });
    try {
      const prepared = this.transport.documents.prepare(payload.query);
      if (!prepared.ok) {
        done();
        return this.sendErrors(id, this.transport.formatErrors(prepared.errors));
      }
      const operation = getOperationAST(prepared.document, operationName);
      if (!operation) throw new ApiError('VALIDATION_FAILED', 'the document names no operation to run');
      if (operation.operation !== 'subscription') {
        const result = await this.transport.execute(payload.query, context, variables, operationName);
        if (cancelled) return;
        done();
        this.send(serverFrame({ type: 'next', id, payload: result }));
        return this.send(serverFrame({ type: 'complete', id }));
      }
      await this.transport.admit(context, this.request);
      if (cancelled) return;
      this.subscribe(id, prepared.document, operation, context, {
        query: payload.query,
        variables,
        operationName,
      });
    } catch (error) {
      done();
      if (!cancelled) this.sendErrors(id, this.transport.formatErrors([asGraphqlError(error)]));
    }
  }

  private subscribe(
    id: string,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    context: ApiContext,
    asked: Readonly<{ query: string; variables?: Readonly<Record<string, unknown>>; operationName?: string }>,
  ): void {
    const { transport } = this;
    const field = rootField(document, operation.selectionSet) as LiveField;
    const policy = transport.policies[field];
    if (!policy) throw new ApiError('VALIDATION_FAILED', 'not a subscription field');
    // Members joining a running group never reach the field's resolver: the gate is here.
    const principal = authorize(context, policy.permission);
    const { shared } = policy;
    const { live } = context.ports;
    let leave = () => {};
    let stopWatching = () => {};
    const subscriber = new SocketSubscriber(this.socket, id, {
      paced: !shared,
      ...(this.request.raw.socket ? { transport: this.request.raw.socket } : {}),
      limits: live.limits,
      onEnd: (end) => {
        leave();
        stopWatching();
        this.operations.delete(id);
        live.metrics.subscriptionClosed(field);
        this.reportEnd(id, field, end);
      },
    });
    this.operations.set(id, { cancel: () => subscriber.finish({ kind: 'cancelled' }) });
    live.metrics.subscriptionOpened(field);
    // What a shared field sends depends on the organization and on what the roles may read, never on
    // who is asking, so everyone in an organization with the same roles shares one execution. The
    // group runs as no one in particular, without anyone's expiry or socket: each member's
    // credentials are watched below, and each member's socket paces only itself.
    const roles = [...principal.roles].sort();
    const groupContext: ApiContext = shared
      ? {
          ports: context.ports,
          limits: context.limits,
          principal: {
            kind: principal.kind,
            id: 'subscription-group',
            organizationId: principal.organizationId,
            roles,
            displayName: null,
          },
        }
      : context;
    leave = transport.groups.join(
      {
        key: shared
          ? [
              principal.organizationId,
              roles.join(','),
              asked.operationName ?? '',
              JSON.stringify(asked.variables ?? {}),
              asked.query,
            ].join('\u0000')
          : null,
        open: async (failNow) => {
          groupContext.liveStreamFailed = failNow;
          const result = await subscribe({
            schema: transport.schema,
            document,
            rootValue: {},
            contextValue: groupContext,
            variableValues: asked.variables,
            operationName: asked.operationName,
          });
          return Symbol.asyncIterator in result
            ? { ok: true, stream: result }
            : { ok: false, errors: this.liveErrors(result.errors ?? []) };
        },
        serialize: (result) =>
          JSON.stringify(
            result.errors?.length
              ? { data: result.data ?? null, errors: transport.formatErrors(result.errors) }
              : result,
          ),
        failure: (error) => this.liveErrors([asGraphqlError(error)]),
        running: (running) =>
          running ? live.metrics.executionStarted(field) : live.metrics.executionStopped(field),
      },
      subscriber,
    );
    if (subscriber.finished) return;
    stopWatching = watchAuthorization(
      subscriberAuthorization(context, policy.permission, field),
      () => context.ports.clock.now().getTime(),
      (refusal) => subscriber.finish({ kind: 'failed', errors: this.liveErrors([asGraphqlError(refusal)]) }),
    );
  }

  private reportEnd(id: string, field: LiveField, end: SubscriberEnd): void {
    if (end.kind === 'cancelled') return;
    const live = this.context?.ports.live;
    if (end.kind === 'completed') {
      this.send(serverFrame({ type: 'complete', id }));
      return;
    }
    const errors =
      end.kind === 'slow'
        ? this.liveErrors([asGraphqlError(slowConsumer(field, end.queued, live?.limits.queueLimit ?? 0))])
        : end.errors;
    if (errors.some((error) => error.extensions?.code === 'SLOW_CONSUMER')) {
      live?.metrics.slowConsumerClosed(field);
      live?.logger.info(
        { field, organizationId: this.context?.principal?.organizationId },
        'closed a slow subscriber',
      );
    }
    this.sendErrors(id, errors);
  }

  /** Errors of a live stream: LiveErrors carry their own code; anything else is classified as usual. */
  private liveErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
    return errors.map((error) => {
      const original = error.originalError;
      if (original instanceof LiveError)
        return {
          message: original.message,
          ...(error.locations ? { locations: error.locations } : {}),
          ...(error.path ? { path: error.path } : {}),
          extensions: { ...original.extensions },
        };
      return this.transport.formatErrors([error])[0]!;
    });
  }

  private sendErrors(id: string, errors: readonly GraphQLFormattedError[]): void {
    this.send(serverFrame({ type: 'error', id, payload: errors }));
  }

  private send(frame: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }

  private close({ code, reason }: Readonly<{ code: number; reason: string }>): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING)
      this.socket.close(code, reason);
  }

  private closed(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const operation of [...this.operations.values()]) operation.cancel();
    this.operations.clear();
  }
}
