import type { Identity } from './session';

/** The API's permission strings (api/src/auth/permissions.ts) the dashboard offers actions for. */
export type Permission =
  | 'device:read'
  | 'device:write'
  | 'alert:read'
  | 'alert:write'
  | 'rule:read'
  | 'rule:write'
  | 'live:subscribe'
  | 'audit:read'
  | 'events:read'
  | 'user:read'
  | 'user:write'
  | 'apikey:read'
  | 'apikey:write';

/** True when the identity may take the action: the dashboard offers only those. */
export const can = (identity: Identity | null | undefined, permission: Permission): boolean =>
  identity?.permissions.includes(permission) ?? false;
