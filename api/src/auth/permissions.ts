import type { Role } from '@netpulse/domain';

/**
 * One permission per kind of operation; every resolver asks for exactly one. Roles are sets of
 * permissions, so what a role may do reads off this table alone.
 */
export const permissionRoles = {
  'device:read': ['admin', 'operator', 'viewer', 'auditor', 'integrator'],
  'alert:read': ['admin', 'operator', 'viewer', 'auditor', 'integrator'],
  'rule:read': ['admin', 'operator', 'viewer', 'auditor', 'integrator'],
  'live:subscribe': ['admin', 'operator', 'viewer', 'auditor', 'integrator'],
  'device:write': ['admin', 'operator', 'integrator'],
  'alert:write': ['admin', 'operator', 'integrator'],
  'rule:write': ['admin', 'operator'],
  'audit:read': ['admin', 'auditor'],
  'events:read': ['admin', 'auditor', 'integrator'],
  /** One's own account (changing one's own password): every role, never another identity's. */
  'self:write': ['admin', 'operator', 'viewer', 'auditor', 'integrator'],
  'user:read': ['admin'],
  'user:write': ['admin'],
  'apikey:read': ['admin'],
  'apikey:write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;

export const permissionsOf = (roles: readonly Role[]): Permission[] =>
  (Object.keys(permissionRoles) as Permission[]).filter((permission) =>
    (permissionRoles[permission] as readonly Role[]).some((role) => roles.includes(role)),
  );

export const hasPermission = (roles: readonly Role[], permission: Permission): boolean =>
  (permissionRoles[permission] as readonly Role[]).some((role) => roles.includes(role));
