import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityQueries } from '../../queries/identities.js';
import { versionTables } from '../../runner/projection.js';
import { applyBatch, createTestVersion } from '../../testing/project-directly.js';
import { recorded } from '../../testing/recorded.js';
import { identitiesProjection } from './identities-projection.js';

const postgres = await detectPostgres();
const hash = (char: string) => char.repeat(64);
const at = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`;

const orgEvent = (organizationId: string, type: string, data: Record<string, unknown>) =>
  recorded(`organization-${organizationId}`, type, data, { organizationId });

/** Two organizations that both have a user `u1` and a key `k1`: rows must never mix. */
const history = [
  orgEvent('org-a', 'OrganizationCreated', { organizationId: 'org-a', name: 'A', createdAt: at(0) }),
  orgEvent('org-a', 'UserAdded', {
    userId: 'u1',
    email: 'Ada@Example.com',
    displayName: 'Ada',
    addedAt: at(1),
  }),
  orgEvent('org-a', 'RoleGranted', { userId: 'u1', role: 'admin', grantedAt: at(1) }),
  orgEvent('org-a', 'RoleGranted', { userId: 'u1', role: 'viewer', grantedAt: at(1) }),
  orgEvent('org-a', 'UserAdded', {
    userId: 'u2',
    email: 'bob@example.com',
    displayName: 'Bob',
    addedAt: at(2),
  }),
  orgEvent('org-a', 'RoleGranted', { userId: 'u2', role: 'operator', grantedAt: at(2) }),
  orgEvent('org-a', 'RoleRevoked', { userId: 'u1', role: 'viewer', revokedAt: at(3) }),
  orgEvent('org-a', 'ApiKeyIssued', {
    keyId: 'k1',
    name: 'grafana',
    roles: ['viewer'],
    secretHash: hash('a'),
    expiresAt: null,
    issuedAt: at(4),
  }),
  orgEvent('org-a', 'ApiKeyRevoked', { keyId: 'k1', revokedAt: at(5) }),
  orgEvent('org-b', 'OrganizationCreated', { organizationId: 'org-b', name: 'B', createdAt: at(0) }),
  orgEvent('org-b', 'UserAdded', {
    userId: 'u1',
    email: 'ada@example.com',
    displayName: 'Ada B',
    addedAt: at(6),
  }),
  orgEvent('org-b', 'RoleGranted', { userId: 'u1', role: 'auditor', grantedAt: at(6) }),
  orgEvent('org-b', 'ApiKeyIssued', {
    keyId: 'k1',
    name: 'ci',
    roles: ['integrator', 'viewer'],
    secretHash: hash('b'),
    expiresAt: '2027-01-01T00:00:00.000Z',
    issuedAt: at(7),
  }),
];

describe.skipIf(!postgres.available)('identities read model (real PostgreSQL)', () => {
  const schema = uniqueSchemaName('ident');
  let pool: pg.Pool;

  /** Creates version `version` of the projection and applies `batches`, one transaction each. */
  const project = async (version: number, batches: readonly (typeof history)[]) => {
    const projection = identitiesProjection();
    const tables = await createTestVersion(pool, schema, projection, version);
    for (const batch of batches) await applyBatch(pool, projection, tables, batch);
  };

  const dump = async (version: number) => {
    const tables = versionTables(schema, version);
    const users = await pool.query(
      `select * from ${tables.table('identity_users')} order by organization_id, user_id`,
    );
    const keys = await pool.query(
      `select * from ${tables.table('identity_api_keys')} order by organization_id, key_id`,
    );
    return { users: users.rows, keys: keys.rows };
  };

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await pool.query(`create schema "${schema}"`);
    // Version 1 event by event (live), version 2 in one batch (a rebuild): the views read version 2.
    await project(
      1,
      history.map((event) => [event]),
    );
    await project(2, [history]);
  });

  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });

  it('ends in the same rows whether events come one by one or in one batch', async () => {
    expect(await dump(2)).toStrictEqual(await dump(1));
  });

  it('keeps each organization’s users apart, with their current roles', async () => {
    const queries = identityQueries(pool, schema);
    const a = await queries.listUsers('org-a');
    expect(a.map(({ userId, email, roles }) => ({ userId, email, roles }))).toStrictEqual([
      { userId: 'u1', email: 'Ada@Example.com', roles: ['admin'] },
      { userId: 'u2', email: 'bob@example.com', roles: ['operator'] },
    ]);
    expect(a[0]?.addedAt).toStrictEqual(new Date(at(1)));
    const b = await queries.getUser({ organizationId: 'org-b', userId: 'u1' });
    expect(b).toMatchObject({ organizationId: 'org-b', displayName: 'Ada B', roles: ['auditor'] });
    expect(await queries.getUser({ organizationId: 'org-b', userId: 'u2' })).toBeNull();
  });

  it('finds users by e-mail case-insensitively, in one organization or all', async () => {
    const queries = identityQueries(pool, schema);
    const everywhere = await queries.findUsersByEmail({ email: 'ADA@example.COM' });
    expect(everywhere.map((user) => user.organizationId)).toStrictEqual(['org-a', 'org-b']);
    const inB = await queries.findUsersByEmail({ email: 'ada@example.com', organizationId: 'org-b' });
    expect(inB.map((user) => user.displayName)).toStrictEqual(['Ada B']);
    expect(await queries.findUsersByEmail({ email: 'nobody@example.com' })).toStrictEqual([]);
  });

  it('keeps API keys with their hash, expiry and revocation, per organization', async () => {
    const queries = identityQueries(pool, schema);
    const keys = await queries.findApiKeysById('k1');
    expect(keys).toStrictEqual([
      {
        organizationId: 'org-a',
        keyId: 'k1',
        name: 'grafana',
        roles: ['viewer'],
        secretHash: hash('a'),
        expiresAt: null,
        issuedAt: new Date(at(4)),
        revokedAt: new Date(at(5)),
      },
      {
        organizationId: 'org-b',
        keyId: 'k1',
        name: 'ci',
        roles: ['integrator', 'viewer'],
        secretHash: hash('b'),
        expiresAt: new Date('2027-01-01T00:00:00.000Z'),
        issuedAt: new Date(at(7)),
        revokedAt: null,
      },
    ]);
    expect((await queries.listApiKeys('org-b')).map((key) => key.name)).toStrictEqual(['ci']);
  });

  it('has an organization id on every row', async () => {
    const { users, keys } = await dump(2);
    for (const row of [...users, ...keys]) expect(row.organization_id).toMatch(/^org-[ab]$/);
  });
});
