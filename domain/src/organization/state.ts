import type { Actor, Role } from '../shared/actor.js';

export type OrganizationUser = Readonly<{
  userId: string;
  email: string;
  displayName: string;
  roles: readonly Role[];
}>;

export type OrganizationApiKey = Readonly<{
  keyId: string;
  name: string;
  roles: readonly Role[];
  secretHash: string;
  expiresAt: string | null;
  revoked: boolean;
}>;

export type CreatedOrganization = Readonly<{
  status: 'created';
  organizationId: string;
  name: string;
  /** Maps, not records: ids are user input and `__proto__` is a valid one. */
  users: ReadonlyMap<string, OrganizationUser>;
  apiKeys: ReadonlyMap<string, OrganizationApiKey>;
}>;

export type OrganizationState = Readonly<{ status: 'none' }> | CreatedOrganization;

export const initialOrganizationState = (): OrganizationState => ({ status: 'none' });

export const findUserByEmail = (state: CreatedOrganization, email: string): OrganizationUser | null => {
  const wanted = email.toLowerCase();
  for (const user of state.users.values()) if (user.email.toLowerCase() === wanted) return user;
  return null;
};

export const isAdmin = (state: CreatedOrganization, userId: string): boolean =>
  state.users.get(userId)?.roles.includes('admin') ?? false;

/**
 * The roles an actor holds in this organization at `at`: a user's roles, or a live API key's.
 * Pollers and NetPulse itself act outside the role model and hold none here.
 */
export const rolesOf = (state: OrganizationState, actor: Actor, at: Date): readonly Role[] => {
  if (state.status !== 'created') return [];
  if (actor.kind === 'user') return state.users.get(actor.id)?.roles ?? [];
  if (actor.kind !== 'api-key') return [];
  const key = state.apiKeys.get(actor.id);
  if (!key || key.revoked) return [];
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= at.getTime()) return [];
  return key.roles;
};
