import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Permission, permissionRoles } from '@netpulse/api';
import { type Role, systemClock } from '@netpulse/domain';
import { silentProjectionLogger } from '@netpulse/projections';
import { detectPostgres, dropSchema, freePort, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { createSigner } from 'fast-jwt';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store.js';
import { createPool } from '../../postgres/pool.js';
import { collectSubscription, graphqlWsClient } from '../../testing/graphql-client.js';
import { loadProjectorConfig } from '../projector/projector-config.js';
import { type ProjectorRole, startProjectorRole } from '../projector/start-projector-role.js';
import { type ApiRole, startApiRole } from './start-api-role.js';
import { capturedLogger } from './testing/identity-fixture.js';

const postgres = await detectPostgres();

const ORG = 'org-e2e';
const ADMIN_EMAIL = 'admin@e2e.test';
const ADMIN_PASSWORD = 'e2e-admin-password';
const JWT_SECRET = 'e2e-jwt-secret-with-more-than-32-characters';
const RATE_LIMIT = 100;
const BODY_LIMIT = 16_384;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type GqlError = { message: string; extensions?: { code?: string; details?: Record<string, unknown> } };
type Gql<T> = { status: number; data?: T | null; errors?: GqlError[] };

/**
 * Authentication, authorization and limits through the API role as NetPulse composes it
 * (startApiRole), over real HTTP, the real PostgreSQL event store and the real projector.
 */
describe.skipIf(!postgres.available)('auth and limits end to end', () => {
  const eventStoreSchema = uniqueSchemaName('auth_es');
  const readModelSchema = uniqueSchemaName('auth_rm');
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-auth-e2e-'));
  const logs = capturedLogger();
  /** Every secret handled here: none may reach a log line or an event. */
  const secrets = [ADMIN_PASSWORD, JWT_SECRET];
  let store: PostgresEventStore;
  let pool: ReturnType<typeof createPool>;
  let projector: ProjectorRole;
  let api: ApiRole;
  /** Authorization header per role, filled in as the admin creates the identities. */
  const as: Partial<Record<Role | 'admin-key', string>> = {};

  const gql = async <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    authorization?: string,
  ): Promise<Gql<T>> => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return { status: response.status, ...(JSON.parse(text) as Omit<Gql<T>, 'status'>) };
    } catch {
      return { status: response.status, errors: [{ message: text }] };
    }
  };
  const codeOf = (response: Gql<unknown>) => response.errors?.[0]?.extensions?.code;

  /** Polls until `done` holds (projection lag, identity cache): the time a change takes to bite. */
  const eventually = async <T>(
    attempt: () => Promise<T>,
    done: (value: T) => boolean,
    timeoutMs = 20_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await attempt();
      if (done(value)) return value;
      if (Date.now() > deadline)
        throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await sleep(100);
    }
  };

  const login = (email: string, password: string) =>
    gql<{ login: { accessToken: string; refreshToken: string; identity: { id: string; roles: string[] } } }>(
      `mutation ($email: String!, $password: String!) {
        login(email: $email, password: $password) { accessToken refreshToken identity { id roles } } }`,
      { email, password },
    );

  beforeAll(async () => {
    store = await PostgresEventStore.connect({
      connectionString: testDatabaseUrl(),
      schema: eventStoreSchema,
      pollIntervalMs: 50,
    });
    pool = createPool({ connectionString: testDatabaseUrl(), max: 24 });
    projector = await startProjectorRole({
      store,
      pool,
      schema: readModelSchema,
      logger: silentProjectionLogger,
      registry: new Registry(),
      clock: systemClock,
      config: loadProjectorConfig({
        NETPULSE_PROJECTIONS: 'identities,devices,alerts,audit,alert-rules',
        NETPULSE_PROJECTOR_STANDBY_RETRY_MS: '100',
        NETPULSE_PROJECTOR_LAG_SAMPLE_MS: '0',
      }),
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      DATABASE_URL: testDatabaseUrl(),
      EVENT_STORE_SCHEMA: eventStoreSchema,
      NETPULSE_READ_MODEL_SCHEMA: readModelSchema,
      NETPULSE_DATA_DIR: dataDir,
      NETPULSE_ORGANIZATION_ID: ORG,
      NETPULSE_ADMIN_EMAIL: ADMIN_EMAIL,
      NETPULSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      GRAPHQL_MAX_DEPTH: '6',
      GRAPHQL_MAX_COST: '2000',
      GRAPHQL_MAX_PAGE_SIZE: '100',
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
    api = await startApiRole({
      config,
      store,
      pool,
      logger: logs.logger,
      registry: new Registry(),
      clock: systemClock,
      checks: [],
      isStarted: () => true,
    });
    // The bootstrap administrator can log in once the identities projection has seen them.
    const session = await eventually(
      () => login(ADMIN_EMAIL, ADMIN_PASSWORD),
      (response) => Boolean(response.data?.login),
    );
    as.admin = `Bearer ${session.data!.login.accessToken}`;
    secrets.push(session.data!.login.accessToken, session.data!.login.refreshToken);
  });

  afterAll(async () => {
    await api?.stop();
    await projector?.stop();
    await pool?.end();
    await store?.close();
    await dropSchema(eventStoreSchema);
    await dropSchema(readModelSchema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in and answers me with the identity and its permissions', async () => {
    const me = await gql<{
      me: { id: string; kind: string; organizationId: string; roles: string[]; permissions: string[] };
    }>('{ me { id kind organizationId roles permissions } }', {}, as.admin);
    expect(me.data?.me).toMatchObject({ id: 'admin', kind: 'user', organizationId: ORG, roles: ['admin'] });
    expect(me.data?.me.permissions).toContain('user:write');
  });

  it('refuses a wrong password, no credentials, a tampered token and an expired token as UNAUTHENTICATED', async () => {
    expect(codeOf(await login(ADMIN_EMAIL, 'wrong-password'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await login('nobody@e2e.test', 'wrong-password'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql('{ me { id } }'))).toBe('UNAUTHENTICATED');
    const token = as.admin!.slice('Bearer '.length);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect(codeOf(await gql('{ me { id } }', {}, `Bearer ${header}.${elevated}.${signature}`))).toBe(
      'UNAUTHENTICATED',
    );
    // Signed with the real key, but expired a minute ago.
    const now = Math.floor(Date.now() / 1000);
    const expired = createSigner({ key: JWT_SECRET, algorithm: 'HS256' })({
      ...claims,
      iat: now - 960,
      exp: now - 60,
    });
    const response = await gql('{ me { id } }', {}, `Bearer ${expired}`);
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(response.errors?.[0]?.message).toBe('access token expired');
  });

  it('ends a live subscription, and refuses the socket further operations, once the token it connected with expires', async () => {
    const token = as.admin!.slice('Bearer '.length);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const shortLived = createSigner({ key: JWT_SECRET, algorithm: 'HS256' })({
      ...claims,
      iat: now,
      exp: now + 2,
    });
    const client = graphqlWsClient(api.url, `Bearer ${shortLived}`);
    try {
      const fleet = collectSubscription<{ fleetSummary: { total: number } }>(
        client,
        'subscription { fleetSummary { total } }',
      );
      // While the token is valid the subscription delivers (the current summary first).
      await fleet.next((message) => message.data?.fleetSummary !== undefined, 5_000);
      await eventually(
        async () => fleet.closedWith(),
        (closed) => closed !== null,
      );
      const ended = fleet.closedWith() as GqlError[];
      expect(ended[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const query = await new Promise<{ errors?: readonly GqlError[] }>((resolve, reject) => {
        client.subscribe<{ me: { id: string } }>(
          { query: '{ me { id } }' },
          {
            next: (message) => resolve(message as { errors?: readonly GqlError[] }),
            error: reject,
            complete: () => {},
          },
        );
      });
      expect(query.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('lets the admin create one identity per role; each logs in (or presents its key)', async () => {
    const staff: [Role, string][] = [
      ['operator', 'oscar'],
      ['viewer', 'vera'],
      ['auditor', 'audrey'],
    ];
    for (const [role, name] of staff) {
      const password = `${name}-password-1`;
      secrets.push(password);
      const added = await gql<{ addUser: { streamId: string; version: string; eventsWritten: number } }>(
        `mutation ($input: AddUserInput!) { addUser(input: $input) { streamId version eventsWritten } }`,
        { input: { userId: name, email: `${name}@e2e.test`, displayName: name, password, roles: [role] } },
        as.admin,
      );
      expect(added.data?.addUser).toMatchObject({ streamId: `organization-${ORG}`, eventsWritten: 2 });
      // Usable as soon as addUser answers: no retry while the identities projection catches up.
      const session = await login(`${name}@e2e.test`, password);
      expect(session.data?.login.identity).toStrictEqual({ id: name, roles: [role] });
      as[role] = `Bearer ${session.data!.login.accessToken}`;
    }
    const issued = await gql<{ issueApiKey: { secret: string; apiKey: { keyId: string; roles: string[] } } }>(
      `mutation { issueApiKey(input: { keyId: "ci", name: "CI", roles: [integrator] }) {
        secret apiKey { keyId roles revokedAt } result { eventsWritten } } }`,
      {},
      as.admin,
    );
    const secret = issued.data!.issueApiKey.secret;
    expect(secret).toMatch(/^np_ci_[0-9a-f]{64}$/);
    secrets.push(secret);
    as.integrator = `ApiKey ${secret}`;
    const me = await gql<{ me: { kind: string; id: string } }>('{ me { kind id } }', {}, as.integrator);
    expect(me.data?.me).toStrictEqual({ kind: 'api-key', id: 'ci' });
    // The secret is shown once: the listing has no trace of it.
    const keys = await gql<{ apiKeys: unknown[] }>(
      '{ apiKeys { keyId name roles revokedAt } }',
      {},
      as.admin,
    );
    expect(JSON.stringify(keys.data)).not.toContain(secret.slice(-64));
  });

  /** One operation per permission; the caller is refused with FORBIDDEN exactly when its role lacks it. */
  const operations: Record<Exclude<Permission, 'live:subscribe'>, string> = {
    'device:read': '{ devices(first: 1) { nodes { deviceId } } }',
    'alert:read': '{ alerts(first: 1) { nodes { alertId } } }',
    'rule:read': '{ alertRules { ruleId } }',
    'device:write':
      'mutation { registerDevice(input: { name: "d", address: "127.0.0.1", kind: "router", probes: { icmp: { enabled: false } } }) { version } }',
    'alert:write': 'mutation { acknowledgeAlert(alertId: "no-such-alert") { version } }',
    'rule:write': 'mutation { deleteAlertRule(ruleId: "no-such-rule") { version } }',
    'audit:read': '{ auditLog(first: 1) { nodes { eventId } } }',
    'events:read': '{ events(first: 1) { caughtUp } }',
    'self:write':
      'mutation { setPassword(userId: "self", password: "another-password", currentPassword: "wrong-one") }',
    'user:read': '{ users { userId } }',
    'user:write': 'mutation { grantRole(userId: "no-such-user", role: viewer) { version } }',
    'apikey:read': '{ apiKeys { keyId } }',
    'apikey:write': 'mutation { revokeApiKey(keyId: "no-such-key") { version } }',
  };
  const selfIds: Record<Role, string> = {
    admin: 'admin',
    operator: 'oscar',
    viewer: 'vera',
    auditor: 'audrey',
    integrator: 'ci',
  };

  it.each([
    'admin',
    'operator',
    'viewer',
    'auditor',
    'integrator',
  ] as const)('%s may do exactly what the permission table grants', async (role) => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [permission, operation] of Object.entries(operations)) {
      const query = operation.replace('userId: "self"', `userId: "${selfIds[role]}"`);
      const response = await gql(query, {}, as[role]);
      const code = codeOf(response);
      outcomes[permission] = code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' ? (code ?? '') : 'allowed';
      const granted = (permissionRoles[permission as Permission] as readonly Role[]).includes(role);
      expected[permission] = granted ? 'allowed' : 'FORBIDDEN';
    }
    // An API key has no password of its own: changing one is refused before any permission matters.
    if (role === 'integrator') expected['self:write'] = 'FORBIDDEN';
    expect(outcomes).toStrictEqual(expected);
  });

  it('changes passwords: one’s own with the current one, anyone’s as admin, nobody else’s otherwise', async () => {
    const setPassword = `mutation ($userId: String!, $password: String!, $current: String) {
      setPassword(userId: $userId, password: $password, currentPassword: $current) }`;
    secrets.push('vera-password-2', 'vera-password-3');
    const own = await gql(
      setPassword,
      { userId: 'vera', password: 'vera-password-2', current: 'vera-password-1' },
      as.viewer,
    );
    expect(own.data).toStrictEqual({ setPassword: true });
    expect(codeOf(await login('vera@e2e.test', 'vera-password-1'))).toBe('UNAUTHENTICATED');
    // Tokens carry whole seconds: wait for the next one, so the new login is after the change.
    await sleep(1_000);
    // The session of the old password ends, its access token included.
    const oldSession = await gql('{ me { id } }', {}, as.viewer);
    expect(codeOf(oldSession)).toBe('UNAUTHENTICATED');
    expect(oldSession.errors?.[0]?.message).toMatch(/password has changed/);
    const relogged = await login('vera@e2e.test', 'vera-password-2');
    const vera = `Bearer ${relogged.data?.login.accessToken}`;
    expect(codeOf(await gql(setPassword, { userId: 'vera', password: 'vera-password-9' }, vera))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(await gql(setPassword, { userId: 'admin', password: 'taken-over!' }, vera))).toBe(
      'FORBIDDEN',
    );
    await sleep(1_000);
    const reset = await gql(setPassword, { userId: 'vera', password: 'vera-password-3' }, as.admin);
    expect(reset.data).toStrictEqual({ setPassword: true });
    expect(codeOf(await gql('{ me { id } }', {}, vera))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(setPassword, { userId: 'nobody', password: 'whatever-123' }, as.admin))).toBe(
      'NOT_FOUND',
    );
    expect((await login('vera@e2e.test', 'vera-password-3')).data?.login.identity.id).toBe('vera');
  });

  it('honours expectedVersion on identity mutations', async () => {
    const stale = await gql(
      'mutation { grantRole(userId: "vera", role: auditor, expectedVersion: "1") { version } }',
      {},
      as.admin,
    );
    expect(codeOf(stale)).toBe('VERSION_CONFLICT');
  });

  it('refreshes with rotation: a spent refresh token is refused', async () => {
    const first = await login('vera@e2e.test', 'vera-password-3');
    const refresh = `mutation ($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`;
    const rotated = await gql<{ refreshSession: { accessToken: string; refreshToken: string } }>(refresh, {
      token: first.data!.login.refreshToken,
    });
    expect(rotated.data?.refreshSession.refreshToken).toBeTruthy();
    secrets.push(first.data!.login.refreshToken, rotated.data!.refreshSession.refreshToken);
    expect(codeOf(await gql(refresh, { token: first.data!.login.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('refuses a revoked API key within seconds, also on a socket opened before and its subscriptions', async () => {
    const socket = graphqlWsClient(api.url, as.integrator);
    try {
      const feed = collectSubscription<{ events: { eventId: string } }>(
        socket,
        'subscription { events { eventId } }',
      );
      const queryOverSocket = () =>
        new Promise<Gql<{ me: { id: string } }>>((resolve, reject) => {
          socket.subscribe<{ me: { id: string } }>(
            { query: '{ me { id } }' },
            {
              next: (message) =>
                resolve({ status: 0, ...(message as Omit<Gql<{ me: { id: string } }>, 'status'>) }),
              error: reject,
              complete: () => {},
            },
          );
        });
      expect((await queryOverSocket()).data?.me.id).toBe('ci');

      const revoked = await gql<{ revokeApiKey: { eventsWritten: number } }>(
        'mutation { revokeApiKey(keyId: "ci") { eventsWritten } }',
        {},
        as.admin,
      );
      expect(revoked.data?.revokeApiKey.eventsWritten).toBe(1);
      const refused = await eventually(
        () => gql('{ me { id } }', {}, as.integrator),
        (response) => codeOf(response) === 'UNAUTHENTICATED',
        10_000,
      );
      expect(refused.errors?.[0]?.message).toBe('API key revoked');
      // The socket authenticated before the revocation: its next operation, and its open
      // subscription within a recheck, answer to the revocation too.
      expect(codeOf(await queryOverSocket())).toBe('UNAUTHENTICATED');
      const ended = (await eventually(
        async () => feed.closedWith(),
        (closed) => closed !== null,
        15_000,
      )) as GqlError[];
      expect(ended[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await socket.dispose();
    }
  });

  it('takes a revoked role away from a live session within seconds', async () => {
    await gql('mutation { revokeRole(userId: "oscar", role: operator) { version } }', {}, as.admin);
    await eventually(
      () => gql('{ devices(first: 1) { nodes { deviceId } } }', {}, as.operator),
      (response) => codeOf(response) === 'FORBIDDEN',
      10_000,
    );
  });

  it('rejects a too deep query and a too costly one with a typed error, before resolving anything', async () => {
    const deep = await gql(
      // Deep but cheap (about 1 200 of the 2 000 allowed), so only the depth limit can refuse it.
      '{ device(deviceId: "d") { activeAlerts { device { activeAlerts { device { activeAlerts { alertId } } } } } } }',
      {},
      as.admin,
    );
    expect([codeOf(deep), deep.errors?.[0]?.message]).toStrictEqual([
      'VALIDATION_FAILED',
      expect.stringMatching(/depth/),
    ]);
    const costly = await gql(
      '{ devices(first: 100) { nodes { activeAlerts { timeline { type at } } } } }',
      {},
      as.admin,
    );
    expect(codeOf(costly)).toBe('VALIDATION_FAILED');
    expect(costly.errors?.[0]?.extensions?.details).toMatchObject({ maxCost: 2000 });
    expect(costly.data ?? null).toBeNull();
  });

  it('refuses a page larger than the maximum', async () => {
    expect(codeOf(await gql('{ devices(first: 101) { nodes { deviceId } } }', {}, as.admin))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('answers an oversized body with 413 and keeps serving', async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: as.admin! },
      body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(BODY_LIMIT)}` }),
    });
    const body = await response.text();
    expect([response.status, body]).toStrictEqual([413, expect.any(String)]);
    const me = await gql<{ me: { id: string } }>('{ me { id } }', {}, as.admin);
    expect(me.data?.me.id).toBe('admin');
  });

  it('rate-limits an identity with RATE_LIMITED and the seconds to wait', async () => {
    const session = await login('audrey@e2e.test', 'audrey-password-1');
    const audrey = `Bearer ${session.data!.login.accessToken}`;
    let limited: Gql<unknown> | undefined;
    for (let i = 0; i <= RATE_LIMIT + 1 && !limited; i++) {
      const response = await gql('{ me { id } }', {}, audrey);
      if (codeOf(response) === 'RATE_LIMITED') limited = response;
    }
    expect(limited?.errors?.[0]?.extensions?.details?.retryAfterSeconds).toBeGreaterThan(0);
    // Others are counted on their own.
    expect((await gql<{ me: { id: string } }>('{ me { id } }', {}, as.admin)).data?.me.id).toBe('admin');
  });

  it('lets no secret reach a log line or an event', async () => {
    const { events } = await store.readAll({ limit: 10_000 });
    const everything = `${JSON.stringify(events, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    )}\n${logs.text()}`;
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
