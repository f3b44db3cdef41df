import {
  createTestDeployment,
  startNetPulse as startNetPulseProcess,
} from '../../infra/src/testing/netpulse-process.js';

export type NetPulse = Readonly<{
  url: string;
  email: string;
  password: string;
  /** Everything the process printed (JSON log lines), for failure messages. */
  output: () => string;
  /** Stops the process, then drops its schemas and data folder. */
  stop: () => Promise<void>;
}>;

/**
 * A real NetPulse (`netpulse start`: API, poller, reactors, projector) from the sources, on the
 * PostgreSQL test service with schemas of its own, on a free loopback port. Serves web/dist at `/`.
 * The process itself is started by the harness every end-to-end test shares.
 */
export const startNetPulse = async (
  env: Readonly<Record<string, string>> = {},
  /** Schemas to use (e.g. an event store the caller filled first); fresh ones otherwise. Dropped on stop. */
  schemas?: Readonly<{ events: string; readModels: string }>,
): Promise<NetPulse> => {
  const deployment = createTestDeployment(
    'web',
    schemas && { eventStore: schemas.events, readModels: schemas.readModels },
  );
  try {
    const server = await startNetPulseProcess(deployment, {
      env: { LOG_LEVEL: 'info', NETPULSE_TRAPS_ENABLED: 'false', ...env },
      timeoutMs: 90_000,
    });
    return {
      url: server.url,
      email: deployment.adminEmail,
      password: deployment.adminPassword,
      output: server.output,
      stop: async () => {
        await server.stop();
        await deployment.dispose().catch(() => undefined);
      },
    };
  } catch (error) {
    await deployment.dispose().catch(() => undefined);
    throw error;
  }
};

/** A GraphQL call from the test itself (setup and cross-checks only; the UI is driven in the browser). */
export const graphql = async <T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
};

export const login = async (server: NetPulse): Promise<string> => {
  const { login: session } = await graphql<{ login: { accessToken: string } }>(
    server.url,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { email: server.email, password: server.password },
  );
  return session.accessToken;
};
