import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, generateApiKey, type IdentityPorts } from '@netpulse/api';
import { type Actor, systemClock } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD_FILE } from './bootstrap-admin.js';
import { createIdentityPorts, type IdentityConfig } from './identity.js';
import { JWT_SECRET_FILE } from './jwt-secret.js';
import { PostgresCredentialStore } from './postgres-credential-store.js';
import { capturedLogger, createIdentityFixture, type IdentityFixture } from './testing/identity-fixture.js';

const postgres = await detectPostgres();

const ORG = 'org-a';
const ADMIN_EMAIL = 'root@netpulse.test';
const admin: Actor = { kind: 'user', id: 'admin' };
const system: Actor = { kind: 'system', id: 'test' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The typed refusal a call ends with. */
const refusal = async (call: Promise<unknown>): Promise<ApiError> => {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe.skipIf(!postgres.available)(
  'identity service on real PostgreSQL (credentials, refresh tokens, read model)',
  () => {
    let fixture: IdentityFixture;
    let dataDir: string;
    let config: IdentityConfig;
    let identity: IdentityPorts;
    const logs = capturedLogger();
    /** Every secret this test handles: none may appear in an event or a log line. */
    const secrets: string[] = [];

    const start = async () =>
      (
        await createIdentityPorts({
          config,
          pool: fixture.pool,
          store: fixture.store,
          bus: fixture.bus,
          clock: systemClock,
          logger: logs.logger,
          identityCacheTtlMs: 300,
          // These tests project by hand (fixture.project), after start-up.
          adminVisibleTimeoutMs: 0,
        })
      ).ports;

    beforeAll(async () => {
      fixture = await createIdentityFixture('ident');
      dataDir = mkdtempSync(join(tmpdir(), 'netpulse-identity-'));
      config = {
        NODE_ENV: 'test',
        NETPULSE_DATA_DIR: dataDir,
        NETPULSE_ORGANIZATION_ID: ORG,
        EVENT_STORE_SCHEMA: fixture.eventStoreSchema,
        NETPULSE_READ_MODEL_SCHEMA: fixture.readModelSchema,
        JWT_SECRET: undefined,
        JWT_ACCESS_TTL_SECONDS: 900,
        JWT_REFRESH_TTL_SECONDS: 3_600,
        NETPULSE_ADMIN_EMAIL: ADMIN_EMAIL,
        NETPULSE_ADMIN_PASSWORD: undefined,
      };
      // Two processes starting at once: one organization, one administrator, one password.
      const [first] = await Promise.all([start(), start()]);
      identity = first;
      await fixture.project();
    });

    afterAll(async () => {
      await fixture?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const adminPassword = () => readFileSync(join(dataDir, ADMIN_PASSWORD_FILE), 'utf8').trim();

    it('bootstraps the organization and its first administrator exactly once', async () => {
      const { events } = await fixture.store.readStream(`organization-${ORG}`);
      expect(events.map((event) => event.type)).toStrictEqual([
        'OrganizationCreated',
        'UserAdded',
        'RoleGranted',
      ]);
      expect(events[1]?.data).toMatchObject({ userId: 'admin', email: ADMIN_EMAIL });
      expect(events.every((event) => event.metadata.actor.kind === 'system')).toBe(true);
    });

    it('writes a generated admin password and the JWT secret to owner-only files, and logs only the path', async () => {
      const passwordFile = join(dataDir, ADMIN_PASSWORD_FILE);
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, JWT_SECRET_FILE)).mode & 0o777).toBe(0o600);
      const password = adminPassword();
      secrets.push(password, readFileSync(join(dataDir, JWT_SECRET_FILE), 'utf8').trim());
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(logs.text()).toContain(passwordFile);
    });

    it('is ready only once the administrator it created can log in', async () => {
      const waiting = {
        ...config,
        NETPULSE_ORGANIZATION_ID: 'org-wait',
        NETPULSE_ADMIN_EMAIL: 'first@netpulse.test',
      };
      const password = 'correct horse battery staple';
      secrets.push(password);
      let projected = false;
      const projector = sleep(400).then(async () => {
        await fixture.project();
        projected = true;
      });
      const { ports } = await createIdentityPorts({
        config: { ...waiting, NETPULSE_ADMIN_PASSWORD: password },
        pool: fixture.pool,
        store: fixture.store,
        bus: fixture.bus,
        clock: systemClock,
        logger: logs.logger,
        adminVisibleTimeoutMs: 10_000,
      });
      expect(projected).toBe(true);
      await expect(ports.login({ email: 'first@netpulse.test', password })).resolves.toBeDefined();
      await projector;
    });

    it('changes nothing on a later start', async () => {
      const password = adminPassword();
      const before = (await fixture.store.readStream(`organization-${ORG}`)).currentVersion;
      await start();
      expect((await fixture.store.readStream(`organization-${ORG}`)).currentVersion).toBe(before);
      expect(adminPassword()).toBe(password);
      await expect(identity.login({ email: ADMIN_EMAIL, password })).resolves.toBeDefined();
    });

    it('keeps a salted scrypt hash, never the password', async () => {
      const credentials = new PostgresCredentialStore(fixture.pool, fixture.eventStoreSchema);
      const hash = await credentials.passwordHash(ORG, 'admin');
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain(adminPassword());
      secrets.push(hash!);
    });

    it('logs in, and the access token authenticates as the user with their roles', async () => {
      const session = await identity.login({ email: 'ROOT@netpulse.test', password: adminPassword() });
      expect(session.principal).toStrictEqual({
        kind: 'user',
        id: 'admin',
        organizationId: ORG,
        roles: ['admin'],
        displayName: 'Administrator',
        credentialsExpireAt: session.accessTokenExpiresAt,
      });
      expect(session.accessTokenExpiresAt.getTime() - Date.now()).toBeGreaterThan(890_000);
      secrets.push(session.accessToken, session.refreshToken);
      const principal = await identity.authenticate({ authorization: `Bearer ${session.accessToken}` });
      expect(principal).toStrictEqual(session.principal);
      expect(await identity.authenticate({})).toBeNull();
      expect((await refusal(identity.authenticate({ authorization: 'Basic abc' }))).code).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('refuses a wrong password and an unknown e-mail with the same answer', async () => {
      const wrong = await refusal(identity.login({ email: ADMIN_EMAIL, password: 'not the password' }));
      const unknown = await refusal(
        identity.login({ email: 'nobody@netpulse.test', password: 'not the password' }),
      );
      expect([wrong.code, wrong.message]).toStrictEqual(['UNAUTHENTICATED', 'invalid e-mail or password']);
      expect([unknown.code, unknown.message]).toStrictEqual([wrong.code, wrong.message]);
    });

    describe('a second user', () => {
      const password = 'bob-password-1';
      beforeAll(async () => {
        await fixture.run(ORG, admin, {
          type: 'AddUser',
          data: {
            userId: 'bob',
            email: 'bob@netpulse.test',
            displayName: 'Bob',
            roles: ['operator', 'viewer'],
          },
        });
        await identity.setPassword({ organizationId: ORG, userId: 'bob', password, setBy: admin });
        secrets.push(password);
      });

      it('loses a revoked role within the cache time, without logging in again', async () => {
        const session = await identity.login({ email: 'bob@netpulse.test', password });
        const bearer = { authorization: `Bearer ${session.accessToken}` };
        expect((await identity.authenticate(bearer))?.roles).toStrictEqual(['operator', 'viewer']);
        await fixture.run(ORG, admin, { type: 'RevokeRole', data: { userId: 'bob', role: 'viewer' } });
        await sleep(350);
        expect((await identity.authenticate(bearer))?.roles).toStrictEqual(['operator']);
        await fixture.run(ORG, admin, { type: 'GrantRole', data: { userId: 'bob', role: 'viewer' } });
      });

      it('rotates refresh tokens, and a replayed one ends the whole login', async () => {
        const first = await identity.login({ email: 'bob@netpulse.test', password });
        const second = await identity.refresh(first.refreshToken);
        expect(second.refreshToken).not.toBe(first.refreshToken);
        expect(second.principal.id).toBe('bob');
        const third = await identity.refresh(second.refreshToken);
        // A thief replays the first token: refused, and the legitimate latest token dies with it.
        const replay = await refusal(identity.refresh(first.refreshToken));
        expect([replay.code, replay.message]).toStrictEqual([
          'UNAUTHENTICATED',
          'refresh token already used: sign in again',
        ]);
        expect((await refusal(identity.refresh(third.refreshToken))).code).toBe('UNAUTHENTICATED');
        // Another login of the same user is not affected.
        const other = await identity.login({ email: 'bob@netpulse.test', password });
        await expect(identity.refresh(other.refreshToken)).resolves.toBeDefined();
      });

      it('lets exactly one of two concurrent refreshes with one token succeed', async () => {
        const session = await identity.login({ email: 'bob@netpulse.test', password });
        const outcomes = await Promise.allSettled([
          identity.refresh(session.refreshToken),
          identity.refresh(session.refreshToken),
        ]);
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      });

      it('refuses an access token used as a refresh token, and a garbled one', async () => {
        const session = await identity.login({ email: 'bob@netpulse.test', password });
        expect((await refusal(identity.refresh(session.accessToken))).code).toBe('UNAUTHENTICATED');
        expect((await refusal(identity.refresh(`${session.refreshToken}x`))).code).toBe('UNAUTHENTICATED');
      });

      it('ends a login on logout', async () => {
        const session = await identity.login({ email: 'bob@netpulse.test', password });
        await identity.logout(session.refreshToken);
        expect((await refusal(identity.refresh(session.refreshToken))).code).toBe('UNAUTHENTICATED');
      });

      it('changes the password: the old one stops working and refresh sessions end', async () => {
        const session = await identity.login({ email: 'bob@netpulse.test', password });
        const next = 'bob-password-2';
        secrets.push(next);
        await identity.setPassword({ organizationId: ORG, userId: 'bob', password: next, setBy: admin });
        expect((await refusal(identity.login({ email: 'bob@netpulse.test', password }))).code).toBe(
          'UNAUTHENTICATED',
        );
        await expect(identity.login({ email: 'bob@netpulse.test', password: next })).resolves.toBeDefined();
        expect((await refusal(identity.refresh(session.refreshToken))).code).toBe('UNAUTHENTICATED');
        expect(await identity.verifyPassword({ organizationId: ORG, userId: 'bob', password: next })).toBe(
          true,
        );
        expect(await identity.verifyPassword({ organizationId: ORG, userId: 'bob', password })).toBe(false);
      });
    });

    describe('API keys', () => {
      const issue = async (keyId: string, expiresAt: string | null = null) => {
        const { key, secretHash } = generateApiKey(keyId);
        secrets.push(key, key.slice(-64));
        await fixture.run(ORG, admin, {
          type: 'IssueApiKey',
          data: { keyId, name: `key ${keyId}`, roles: ['integrator'], secretHash, expiresAt },
        });
        return { authorization: `ApiKey ${key}` };
      };

      it('authenticate as the key, with its roles and organization', async () => {
        const presented = await issue('ci_key');
        expect(await identity.authenticate(presented)).toStrictEqual({
          kind: 'api-key',
          id: 'ci_key',
          organizationId: ORG,
          roles: ['integrator'],
          displayName: 'key ci_key',
        });
        const listed = await identity.listApiKeys(ORG);
        expect(listed.map((key) => key.keyId)).toContain('ci_key');
        expect(JSON.stringify(listed)).not.toMatch(/secretHash|[0-9a-f]{64}/);
      });

      it('stop working within the cache time once revoked', async () => {
        const presented = await issue('revoked');
        await identity.authenticate(presented);
        await fixture.run(ORG, admin, { type: 'RevokeApiKey', data: { keyId: 'revoked' } });
        await sleep(350);
        const error = await refusal(identity.authenticate(presented));
        expect([error.code, error.message]).toStrictEqual(['UNAUTHENTICATED', 'API key revoked']);
      });

      it('stop working when expired', async () => {
        const presented = await issue('short-lived', new Date(Date.now() + 1_000).toISOString());
        await expect(identity.authenticate(presented)).resolves.toMatchObject({ id: 'short-lived' });
        await sleep(1_100);
        expect((await refusal(identity.authenticate(presented))).message).toBe('API key expired');
      });

      it('refuse a forged secret for a real key id', async () => {
        await issue('real');
        const forged = generateApiKey('real').key;
        expect((await refusal(identity.authenticate({ authorization: `ApiKey ${forged}` }))).message).toBe(
          'invalid API key',
        );
        expect((await refusal(identity.authenticate({ authorization: 'ApiKey np_nothing' }))).message).toBe(
          'invalid API key',
        );
      });
    });

    it('asks which organization when an e-mail and password fit users in two', async () => {
      const password = adminPassword();
      await fixture.run('org-b', system, {
        type: 'CreateOrganization',
        data: { organizationId: 'org-b', name: 'B' },
      });
      await fixture.run('org-b', system, {
        type: 'AddUser',
        data: { userId: 'admin-b', email: ADMIN_EMAIL, displayName: 'B admin', roles: ['auditor'] },
      });
      await identity.setPassword({ organizationId: 'org-b', userId: 'admin-b', password, setBy: system });
      const ambiguous = await refusal(identity.login({ email: ADMIN_EMAIL, password }));
      expect(ambiguous.code).toBe('VALIDATION_FAILED');
      expect(ambiguous.details).toStrictEqual({ organizationIds: [ORG, 'org-b'] });
      const inB = await identity.login({ email: ADMIN_EMAIL, password, organizationId: 'org-b' });
      expect(inB.principal).toMatchObject({ organizationId: 'org-b', id: 'admin-b', roles: ['auditor'] });
      // Listings are per organization.
      expect((await identity.listUsers('org-b')).map((user) => user.userId)).toStrictEqual(['admin-b']);
    });

    it('throttles password guessing per e-mail', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 11 }, () =>
          identity.login({ email: 'target@netpulse.test', password: 'guess-guess' }),
        ),
      );
      const codes = attempts.map((attempt) =>
        attempt.status === 'rejected' && attempt.reason instanceof ApiError ? attempt.reason.code : 'other',
      );
      expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(10);
      expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(1);
      // Refused from now on without a password check.
      const blocked = await refusal(
        identity.login({ email: 'target@netpulse.test', password: 'guess-guess' }),
      );
      expect(blocked.code).toBe('RATE_LIMITED');
      expect(blocked.details.retryAfterSeconds).toBeGreaterThan(50);
    });

    it('does not count successful logins against the throttle', async () => {
      for (let i = 0; i < 12; i++)
        await identity.login({ email: ADMIN_EMAIL, password: adminPassword(), organizationId: ORG });
    });

    it('lets no secret reach an event or a log line', async () => {
      const { events } = await fixture.store.readAll({ limit: 10_000 });
      const everything = `${JSON.stringify(events, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      )}\n${logs.text()}`;
      expect(secrets.length).toBeGreaterThan(10);
      for (const secret of secrets) expect(everything).not.toContain(secret);
    });
  },
);
