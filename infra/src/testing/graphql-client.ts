import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export type GraphqlResponse<T> = Readonly<{
  data?: T | null;
  errors?: ReadonlyArray<{
    message: string;
    path?: readonly (string | number)[];
    extensions?: { code?: string };
  }>;
}>;

/** One GraphQL operation over HTTP, as any client would send it. */
export const graphqlHttp = async <T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  authorization?: string,
): Promise<GraphqlResponse<T> & { status: number }> => {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as GraphqlResponse<T>) };
  } catch {
    return { status: response.status, errors: [{ message: text }] };
  }
};

/** The first error code of a response, for compact assertions. */
export const errorCode = (response: GraphqlResponse<unknown>): string | undefined =>
  response.errors?.[0]?.extensions?.code;

/** Logs in and returns the `Authorization` header value. */
export const loginAs = async (baseUrl: string, email: string, password: string): Promise<string> => {
  const response = await graphqlHttp<{ login: { accessToken: string } }>(
    baseUrl,
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { email, password },
  );
  const token = response.data?.login.accessToken;
  if (!token) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return `Bearer ${token}`;
};

/** A real graphql-ws client (graphql-transport-ws protocol) authenticated in connection_init. */
export const graphqlWsClient = (baseUrl: string, authorization?: string): Client =>
  createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
  });

/**
 * Collects a subscription's messages; `next(predicate)` waits for the first matching message
 * (already received or still to come).
 */
export const collectSubscription = <T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
) => {
  const received: GraphqlResponse<T>[] = [];
  const waiters: {
    predicate: (message: GraphqlResponse<T>) => boolean;
    resolve: (message: GraphqlResponse<T>) => void;
  }[] = [];
  let closed: unknown = null;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        const value = message as GraphqlResponse<T>;
        received.push(value);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(value)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(value);
          }
        }
      },
      error: (error) => {
        closed = error;
      },
      complete: () => {
        closed = closed ?? 'complete';
      },
    },
  );
  return {
    received,
    closedWith: () => closed,
    unsubscribe,
    next: (predicate: (message: GraphqlResponse<T>) => boolean, timeoutMs = 30_000) =>
      new Promise<GraphqlResponse<T>>((resolve, reject) => {
        const found = received.find(predicate);
        if (found) return resolve(found);
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching message within ${timeoutMs} ms; got ${JSON.stringify(received).slice(0, 2000)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message);
          },
        });
      }),
  };
};
