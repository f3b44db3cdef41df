import { describe, expect, it } from 'vitest';
import type { Actor } from '../shared/actor.js';
import { metadata, NOW, ORG, spec } from '../testing/decider-spec.js';
import type { OrganizationCommand } from './commands.js';
import { organizationDecider } from './decider.js';
import { OrganizationEvent } from './events.js';
import { rolesOf } from './state.js';

const organization = spec(organizationDecider, OrganizationEvent);
const at = NOW.toISOString();
const earlier = '2025-05-01T00:00:00.000Z';
const system: Actor = { kind: 'system', id: 'bootstrap' };
const admin: Actor = { kind: 'user', id: 'user-1' };
const viewer: Actor = { kind: 'user', id: 'user-2' };
const hash = 'a'.repeat(64);

const created: OrganizationEvent = {
  type: 'OrganizationCreated',
  data: { organizationId: ORG, name: 'Acme NOC', createdAt: earlier },
};
const userAdded = (userId: string, email: string): OrganizationEvent => ({
  type: 'UserAdded',
  data: { userId, email, displayName: userId, addedAt: earlier },
});
const granted = (userId: string, role: 'admin' | 'viewer'): OrganizationEvent => ({
  type: 'RoleGranted',
  data: { userId, role, grantedAt: earlier },
});
const revoked = (userId: string, role: 'admin' | 'viewer'): OrganizationEvent => ({
  type: 'RoleRevoked',
  data: { userId, role, revokedAt: earlier },
});
const keyData = {
  keyId: 'key-1',
  name: 'ci',
  roles: ['integrator' as const],
  secretHash: hash,
  expiresAt: null,
  issuedAt: earlier,
};
const keyIssued: OrganizationEvent = { type: 'ApiKeyIssued', data: keyData };
const keyRevoked: OrganizationEvent = { type: 'ApiKeyRevoked', data: { keyId: 'key-1', revokedAt: earlier } };
/** An organization with one admin (user-1) and one viewer (user-2). */
const staffed = [
  created,
  userAdded('user-1', 'ada@example.com'),
  granted('user-1', 'admin'),
  userAdded('user-2', 'bob@example.com'),
  granted('user-2', 'viewer'),
];

const as = (actor: Actor) => metadata({ actor });
const create: OrganizationCommand = {
  type: 'CreateOrganization',
  data: { organizationId: ORG, name: 'Acme NOC' },
  metadata: as(system),
};

/** One command of every kind but creation, valid against `staffed`, issued by `actor`. */
const administrativeCommands = (actor: Actor): readonly OrganizationCommand[] => [
  {
    type: 'AddUser',
    data: { userId: 'user-3', email: 'cy@example.com', displayName: 'Cy' },
    metadata: as(actor),
  },
  { type: 'GrantRole', data: { userId: 'user-2', role: 'operator' }, metadata: as(actor) },
  { type: 'RevokeRole', data: { userId: 'user-2', role: 'viewer' }, metadata: as(actor) },
  {
    type: 'IssueApiKey',
    data: { keyId: 'key-2', name: 'grafana', roles: ['viewer'], secretHash: hash, expiresAt: null },
    metadata: as(actor),
  },
  { type: 'RevokeApiKey', data: { keyId: 'key-1' }, metadata: as(actor) },
];
const cases = (commands: readonly OrganizationCommand[]) =>
  commands.map((command) => [command.type, command] as const);

describe('CreateOrganization', () => {
  it('creates an organization', () => {
    organization
      .given([])
      .when(create)
      .thenEvents([
        { type: 'OrganizationCreated', data: { organizationId: ORG, name: 'Acme NOC', createdAt: at } },
      ]);
  });

  it('rejects creating it twice', () => {
    organization.given([created]).when(create).thenThrows('ILLEGAL_STATE');
  });

  it('forbids creating an organization other than the command’s', () => {
    organization
      .given([])
      .when({ ...create, data: { organizationId: 'org-2', name: 'Other' } })
      .thenThrows('FORBIDDEN');
  });
});

describe('rules for every other command', () => {
  it.each(cases(administrativeCommands(system)))('%s before creation is NOT_FOUND', (_, command) => {
    organization.given([]).when(command).thenThrows('NOT_FOUND');
  });

  it.each(cases(administrativeCommands(admin)))('%s from another organization is FORBIDDEN', (_, command) => {
    organization
      .given([...staffed, keyIssued])
      .when({ ...command, metadata: metadata({ actor: admin, organizationId: 'org-2' }) })
      .thenThrows('FORBIDDEN');
  });

  it.each(
    cases(administrativeCommands(viewer)),
  )('%s by a user who is not an admin is FORBIDDEN', (_, command) => {
    organization
      .given([...staffed, keyIssued])
      .when(command)
      .thenThrows('FORBIDDEN');
  });

  it.each([
    ['an unknown user', { kind: 'user', id: 'user-9' }],
    ['an API key', { kind: 'api-key', id: 'key-1' }],
    ['a poller', { kind: 'poller', id: 'poller-1' }],
  ] as const)('forbids %s', (_, actor) => {
    organization
      .given([...staffed, keyIssued])
      .when(administrativeCommands(actor)[0]!)
      .thenThrows('FORBIDDEN');
  });

  it('forbids a former admin', () => {
    organization
      .given([...staffed, granted('user-2', 'admin'), revoked('user-1', 'admin')])
      .when(administrativeCommands(admin)[0]!)
      .thenThrows('FORBIDDEN');
  });
});

describe('AddUser', () => {
  it('lets the system bootstrap the first admin', () => {
    organization
      .given([created])
      .when({
        type: 'AddUser',
        data: {
          userId: 'user-1',
          email: 'ada@example.com',
          displayName: 'Ada',
          roles: ['admin', 'admin', 'operator'],
        },
        metadata: as(system),
      })
      .thenEvents([
        {
          type: 'UserAdded',
          data: { userId: 'user-1', email: 'ada@example.com', displayName: 'Ada', addedAt: at },
        },
        { type: 'RoleGranted', data: { userId: 'user-1', role: 'admin', grantedAt: at } },
        { type: 'RoleGranted', data: { userId: 'user-1', role: 'operator', grantedAt: at } },
      ]);
  });

  it('lets an admin add a user without roles', () => {
    organization
      .given(staffed)
      .when(administrativeCommands(admin)[0]!)
      .thenEvents([
        {
          type: 'UserAdded',
          data: { userId: 'user-3', email: 'cy@example.com', displayName: 'Cy', addedAt: at },
        },
      ]);
  });

  it('rejects a duplicate user id', () => {
    organization
      .given(staffed)
      .when({
        type: 'AddUser',
        data: { userId: 'user-2', email: 'new@example.com', displayName: 'New' },
        metadata: as(admin),
      })
      .thenThrows('ILLEGAL_STATE');
  });

  it('rejects a duplicate e-mail, whatever its case', () => {
    organization
      .given(staffed)
      .when({
        type: 'AddUser',
        data: { userId: 'user-3', email: 'Bob@Example.COM', displayName: 'Bob again' },
        metadata: as(admin),
      })
      .thenThrows('ILLEGAL_STATE');
  });
});

describe('roles', () => {
  const grant = (userId: string, role: 'admin' | 'viewer' | 'operator'): OrganizationCommand => ({
    type: 'GrantRole',
    data: { userId, role },
    metadata: as(admin),
  });
  const revoke = (userId: string, role: 'admin' | 'viewer' | 'operator'): OrganizationCommand => ({
    type: 'RevokeRole',
    data: { userId, role },
    metadata: as(admin),
  });

  it('grants a role', () => {
    organization
      .given(staffed)
      .when(grant('user-2', 'operator'))
      .thenEvents([{ type: 'RoleGranted', data: { userId: 'user-2', role: 'operator', grantedAt: at } }]);
  });

  it('rejects granting to an unknown user', () => {
    organization.given(staffed).when(grant('user-9', 'viewer')).thenThrows('NOT_FOUND');
  });

  it('rejects granting a role already held', () => {
    organization.given(staffed).when(grant('user-2', 'viewer')).thenThrows('ILLEGAL_STATE');
  });

  it('revokes a role', () => {
    organization
      .given(staffed)
      .when(revoke('user-2', 'viewer'))
      .thenEvents([{ type: 'RoleRevoked', data: { userId: 'user-2', role: 'viewer', revokedAt: at } }]);
  });

  it('rejects revoking from an unknown user', () => {
    organization.given(staffed).when(revoke('user-9', 'viewer')).thenThrows('NOT_FOUND');
  });

  it('rejects revoking a role not held', () => {
    organization.given(staffed).when(revoke('user-2', 'operator')).thenThrows('ILLEGAL_STATE');
  });

  it('rejects revoking the last admin’s admin role', () => {
    organization.given(staffed).when(revoke('user-1', 'admin')).thenThrows('ILLEGAL_STATE');
  });

  it('revokes an admin role while another admin remains', () => {
    organization
      .given([...staffed, granted('user-2', 'admin')])
      .when(revoke('user-1', 'admin'))
      .thenEvents([{ type: 'RoleRevoked', data: { userId: 'user-1', role: 'admin', revokedAt: at } }]);
  });
});

describe('API keys', () => {
  const issue = (keyId: string, expiresAt: string | null): OrganizationCommand => ({
    type: 'IssueApiKey',
    data: { keyId, name: 'grafana', roles: ['viewer', 'viewer'], secretHash: hash, expiresAt },
    metadata: as(admin),
  });
  const revokeKey: OrganizationCommand = {
    type: 'RevokeApiKey',
    data: { keyId: 'key-1' },
    metadata: as(admin),
  };

  it('issues a key', () => {
    organization
      .given(staffed)
      .when(issue('key-2', '2026-01-01T00:00:00.000Z'))
      .thenEvents([
        {
          type: 'ApiKeyIssued',
          data: {
            keyId: 'key-2',
            name: 'grafana',
            roles: ['viewer'],
            secretHash: hash,
            expiresAt: '2026-01-01T00:00:00.000Z',
            issuedAt: at,
          },
        },
      ]);
  });

  it('rejects a duplicate key id', () => {
    organization
      .given([...staffed, keyIssued])
      .when(issue('key-1', null))
      .thenThrows('ILLEGAL_STATE');
  });

  it('rejects a key that has already expired', () => {
    organization.given(staffed).when(issue('key-2', earlier)).thenThrows('VALIDATION_FAILED');
  });

  it('revokes a key', () => {
    organization
      .given([...staffed, keyIssued])
      .when(revokeKey)
      .thenEvents([{ type: 'ApiKeyRevoked', data: { keyId: 'key-1', revokedAt: at } }]);
  });

  it('rejects revoking an unknown key', () => {
    organization.given(staffed).when(revokeKey).thenThrows('NOT_FOUND');
  });

  it('rejects revoking a key twice', () => {
    organization
      .given([...staffed, keyIssued, keyRevoked])
      .when(revokeKey)
      .thenThrows('ILLEGAL_STATE');
  });
});

describe('rolesOf', () => {
  it('gives users their roles and live keys theirs', () => {
    const state = organization.given([...staffed, keyIssued]).state();
    expect(rolesOf(state, admin, NOW)).toStrictEqual(['admin']);
    expect(rolesOf(state, { kind: 'api-key', id: 'key-1' }, NOW)).toStrictEqual(['integrator']);
    expect(rolesOf(state, system, NOW)).toStrictEqual([]);
    expect(rolesOf(state, { kind: 'user', id: 'user-9' }, NOW)).toStrictEqual([]);
  });

  it('gives revoked and expired keys nothing', () => {
    const revokedState = organization.given([...staffed, keyIssued, keyRevoked]).state();
    expect(rolesOf(revokedState, { kind: 'api-key', id: 'key-1' }, NOW)).toStrictEqual([]);
    const expiring: OrganizationEvent = {
      type: 'ApiKeyIssued',
      data: { ...keyData, keyId: 'key-2', expiresAt: at },
    };
    const state = organization.given([...staffed, expiring]).state();
    expect(rolesOf(state, { kind: 'api-key', id: 'key-2' }, new Date(NOW.getTime() - 1))).toStrictEqual([
      'integrator',
    ]);
    expect(rolesOf(state, { kind: 'api-key', id: 'key-2' }, NOW)).toStrictEqual([]);
  });
});
