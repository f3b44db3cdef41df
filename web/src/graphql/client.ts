import { createClient, type Client as WsClient } from 'graphql-ws';
import { RefreshSessionMutation, type Session } from '../auth/session';
import type { SessionStore } from '../auth/session-store';
import type { Document, Variables } from './document';
import { GraphQLRequestError, networkError, toErrorEntries } from './errors';

/** Replace the access token this long before it expires, so no request carries a stale one. */
const REFRESH_MARGIN_MS = 60_000;

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export type ClientOptions = Readonly<{
  /** `/graphql` on the page's origin, as an absolute URL. */
  httpUrl: string;
  wsUrl: string;
  session: SessionStore;
  fetch?: typeof fetch;
}>;

export type SubscriptionSink<TData> = Readonly<{
  next: (data: TData) => void;
  error?: (error: GraphQLRequestError) => void;
}>;

const asRequestError = (operation: string, error: unknown): GraphQLRequestError => {
  if (error instanceof GraphQLRequestError) return error;
  if (Array.isArray(error)) return new GraphQLRequestError(operation, toErrorEntries(error));
  if (typeof CloseEvent !== 'undefined' && error instanceof CloseEvent)
    return new GraphQLRequestError(operation, [
      {
        message: `live connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`,
        extensions: {
          code: error.code === 4403 || error.code === 4401 ? 'UNAUTHENTICATED' : 'NETWORK_ERROR',
        },
      },
    ]);
  return networkError(operation, error);
};

/**
 * The dashboard's only way to the API: queries and mutations by HTTP POST, subscriptions over one
 * graphql-ws socket. It keeps the access token fresh (refreshSession before expiry, and once more
 * when the API says UNAUTHENTICATED) and ends the session when the refresh token is refused.
 */
export class GraphQLClient {
  private readonly fetchImpl: typeof fetch;
  private refreshing: Promise<boolean> | null = null;
  private ws: WsClient | null = null;
  /** Subscriptions running now: a socket closed with none is idle, not lost. */
  private active = 0;
  private connection: ConnectionState = 'idle';
  private readonly connectionListeners = new Set<() => void>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? fetch.bind(globalThis);
  }

  /** Runs a query or mutation as the signed-in user. */
  async request<TData, TVariables extends Variables>(
    document: Document<TData, TVariables>,
    variables?: TVariables,
    signal?: AbortSignal,
  ): Promise<TData> {
    const token = await this.accessToken();
    try {
      return await this.post(document, variables, token, signal);
    } catch (error) {
      if (!(error instanceof GraphQLRequestError) || error.code !== 'UNAUTHENTICATED' || !token) throw error;
      // The token may have been revoked or expired early: one refresh, one retry.
      if (!(await this.refresh())) throw error;
      return this.post(document, variables, this.options.session.get()?.accessToken ?? null, signal);
    }
  }

  /** Runs an operation with no credentials (login). */
  anonymous<TData, TVariables extends Variables>(
    document: Document<TData, TVariables>,
    variables?: TVariables,
  ): Promise<TData> {
    return this.post(document, variables, null);
  }

  /** Starts a subscription; returns the function that ends it. */
  subscribe<TData, TVariables extends Variables>(
    document: Document<TData, TVariables>,
    variables: TVariables | undefined,
    sink: SubscriptionSink<TData>,
  ): () => void {
    const ws = this.socket();
    this.active += 1;
    const stop = ws.subscribe<TData>(
      { query: document.source, variables: variables ?? {}, operationName: document.name },
      {
        next: (result) => {
          if (result.errors?.length) {
            sink.error?.(new GraphQLRequestError(document.name, toErrorEntries(result.errors)));
            return;
          }
          if (result.data) sink.next(result.data as TData);
        },
        error: (error) => sink.error?.(asRequestError(document.name, error)),
        complete: () => undefined,
      },
    );
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.active -= 1;
      stop();
    };
  }

  connectionState = (): ConnectionState => this.connection;

  onConnectionChange = (listener: () => void): (() => void) => {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  };

  /** Called after the socket came back from a drop: live views re-read what they may have missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Closes the socket (sign-out); the next subscription opens a new one with the new identity. */
  close(): void {
    const ws = this.ws;
    this.ws = null;
    void ws?.dispose();
    this.setConnection('idle');
  }

  /** The current access token, refreshed first when it is about to expire. */
  private async accessToken(): Promise<string | null> {
    const session = this.options.session.get();
    if (!session) return null;
    if (Date.parse(session.accessTokenExpiresAt) - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
    return (await this.refresh()) ? (this.options.session.get()?.accessToken ?? null) : null;
  }

  /** One refresh at a time; false (and signed out) when the refresh token is refused. */
  refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const session = this.options.session.get();
    if (!session) return Promise.resolve(false);
    this.refreshing = this.post(RefreshSessionMutation, { refreshToken: session.refreshToken }, null)
      .then(({ refreshSession }: { refreshSession: Session }) => {
        this.options.session.set(refreshSession);
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof GraphQLRequestError && error.code === 'NETWORK_ERROR') throw error;
        this.options.session.clear();
        this.close();
        return false;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async post<TData, TVariables extends Variables>(
    document: Document<TData, TVariables>,
    variables: TVariables | undefined,
    token: string | null,
    signal?: AbortSignal,
  ): Promise<TData> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.options.httpUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          query: document.source,
          variables: variables ?? {},
          operationName: document.name,
        }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw networkError(document.name, error);
    }
    let body: { data?: unknown; errors?: unknown };
    try {
      body = (await response.json()) as { data?: unknown; errors?: unknown };
    } catch (error) {
      throw networkError(document.name, `HTTP ${response.status}: ${String(error)}`);
    }
    const errors = toErrorEntries(body.errors);
    if (errors.length > 0) throw new GraphQLRequestError(document.name, errors, response.status);
    if (body.data === undefined || body.data === null)
      throw new GraphQLRequestError(document.name, [{ message: `HTTP ${response.status} without data` }]);
    return body.data as TData;
  }

  private socket(): WsClient {
    if (this.ws) return this.ws;
    let everConnected = false;
    this.ws = createClient({
      url: this.options.wsUrl,
      lazy: true,
      lazyCloseTimeout: 3_000,
      keepAlive: 20_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      connectionParams: async () => {
        const token = await this.accessToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      on: {
        connecting: () => this.setConnection(everConnected ? 'reconnecting' : 'connecting'),
        connected: (_socket, _payload, wasRetry) => {
          everConnected = true;
          this.setConnection('connected');
          if (wasRetry) for (const listener of this.reconnectListeners) listener();
        },
        closed: () => {
          if (!this.ws || this.active === 0) this.setConnection('idle');
          else this.setConnection(everConnected ? 'reconnecting' : 'connecting');
        },
      },
    });
    return this.ws;
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.connection) return;
    this.connection = state;
    for (const listener of this.connectionListeners) listener();
  }
}
