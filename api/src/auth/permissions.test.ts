import type { Role } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { type Permission, permissionsOf } from './permissions.js';

/** What each role may do, spelled out: a change to the table must change this test too. */
const expected: Record<Role, readonly Permission[]> = {
  admin: [
    'device:read',
    'alert:read',
    'rule:read',
    'live:subscribe',
    'device:write',
    'alert:write',
    'rule:write',
    'audit:read',
    'events:read',
    'self:write',
    'user:read',
    'user:write',
    'apikey:read',
    'apikey:write',
  ],
  operator: [
    'device:read',
    'alert:read',
    'rule:read',
    'live:subscribe',
    'device:write',
    'alert:write',
    'rule:write',
    'self:write',
  ],
  viewer: ['device:read', 'alert:read', 'rule:read', 'live:subscribe', 'self:write'],
  auditor: [
    'device:read',
    'alert:read',
    'rule:read',
    'live:subscribe',
    'audit:read',
    'events:read',
    'self:write',
  ],
  integrator: [
    'device:read',
    'alert:read',
    'rule:read',
    'live:subscribe',
    'device:write',
    'alert:write',
    'events:read',
    'self:write',
  ],
};

describe('permission table', () => {
  it.each(Object.entries(expected))('%s holds exactly its permissions', (role, permissions) => {
    expect(permissionsOf([role as Role])).toStrictEqual(permissions);
  });

  it('gives nothing to an identity without roles', () => {
    expect(permissionsOf([])).toStrictEqual([]);
  });

  it('unites the permissions of several roles', () => {
    expect(new Set(permissionsOf(['viewer', 'auditor']))).toStrictEqual(
      new Set([...expected.viewer, ...expected.auditor]),
    );
  });
});
