import { describe, expect, it } from 'vitest';
import type { Session } from '../auth/session';
import { SessionStore } from '../auth/session-store';
import { GraphQLClient } from './client';
import { gql } from './document';
import { GraphQLRequestError } from './errors';

/** A stand-in for the HTTP endpoint: unit tests of the client's token handling only. */
const fakeEndpoint = (
  handle: (
    body: { operationName: string; variables: Record<string, unknown> },
    auth: string | null,
  ) => unknown,
) => {
  const calls: { operation: string; auth: string | null }[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as {
      operationName: string;
      variables: Record<string, unknown>;
    };
    const auth = (init.headers as Record<string, string>).authorization ?? null;
    calls.push({ operation: body.operationName, auth });
    return new Response(JSON.stringify(handle(body, auth)), { status: 200 });
  }) as typeof fetch;
  return { calls, fetchImpl };
};

const memoryStorage = (): Storage => {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
};

const session = (token: string, expiresInMs: number): Session => ({
  accessToken: token,
  accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  refreshToken: `refresh-${token}`,
  refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  identity: {
    organizationId: 'o',
    kind: 'user',
    id: 'u',
    displayName: 'U',
    roles: ['operator'],
    permissions: ['device:read'],
  },
});

const Ping = gql<{ ping: string }>('query Ping { ping }');

describe('GraphQLClient tokens', () => {
  it('sends the bearer token, and refreshes first when it is about to expire', async () => {
    const store = new SessionStore(memoryStorage());
    store.set(session('old', 10_000));
    const { calls, fetchImpl } = fakeEndpoint((body) =>
      body.operationName === 'RefreshSession'
        ? { data: { refreshSession: session('new', 900_000) } }
        : { data: { ping: 'pong' } },
    );
    const client = new GraphQLClient({
      httpUrl: 'http://x/graphql',
      wsUrl: 'ws://x/graphql',
      session: store,
      fetch: fetchImpl,
    });
    await expect(client.request(Ping)).resolves.toEqual({ ping: 'pong' });
    expect(calls).toEqual([
      { operation: 'RefreshSession', auth: null },
      { operation: 'Ping', auth: 'Bearer new' },
    ]);
    expect(store.get()?.accessToken).toBe('new');
  });

  it('refreshes once and retries when the API says UNAUTHENTICATED', async () => {
    const store = new SessionStore(memoryStorage());
    store.set(session('revoked', 900_000));
    const { calls, fetchImpl } = fakeEndpoint((body, auth) => {
      if (body.operationName === 'RefreshSession')
        return { data: { refreshSession: session('fresh', 900_000) } };
      return auth === 'Bearer fresh'
        ? { data: { ping: 'pong' } }
        : { data: null, errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] };
    });
    const client = new GraphQLClient({
      httpUrl: 'http://x/graphql',
      wsUrl: 'ws://x/graphql',
      session: store,
      fetch: fetchImpl,
    });
    await expect(client.request(Ping)).resolves.toEqual({ ping: 'pong' });
    expect(calls.map((call) => call.operation)).toEqual(['Ping', 'RefreshSession', 'Ping']);
  });

  it('signs out when the refresh token is refused', async () => {
    const store = new SessionStore(memoryStorage());
    store.set(session('old', 1_000));
    const { fetchImpl } = fakeEndpoint(() => ({
      data: null,
      errors: [{ message: 'refresh token revoked', extensions: { code: 'UNAUTHENTICATED' } }],
    }));
    const client = new GraphQLClient({
      httpUrl: 'http://x/graphql',
      wsUrl: 'ws://x/graphql',
      session: store,
      fetch: fetchImpl,
    });
    const failure = await client.request(Ping).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect(store.get()).toBeNull();
  });

  it('reports a typed error with the code the API sent', async () => {
    const store = new SessionStore(memoryStorage());
    store.set(session('t', 900_000));
    const { fetchImpl } = fakeEndpoint(() => ({
      data: null,
      errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }],
    }));
    const client = new GraphQLClient({
      httpUrl: 'http://x/graphql',
      wsUrl: 'ws://x/graphql',
      session: store,
      fetch: fetchImpl,
    });
    const failure = (await client.request(Ping).catch((error: unknown) => error)) as GraphQLRequestError;
    expect(failure.code).toBe('FORBIDDEN');
    expect(store.get()?.accessToken).toBe('t');
  });
});
