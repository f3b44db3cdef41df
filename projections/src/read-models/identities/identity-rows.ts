import type { OrganizationEvent, RecordedEvent, Role } from '@netpulse/domain';
import type { PgTime } from '../timestamps.js';

/** A user as the identities read model keeps it (no secret of any kind: passwords live in infra). */
export type UserRow = {
  organization_id: string;
  user_id: string;
  email: string;
  display_name: string;
  roles: Role[];
  added_at: PgTime;
  changed_at: PgTime;
};

/** An API key: its SHA-256 (what verifying a presented key needs), never the key itself. */
export type ApiKeyRow = {
  organization_id: string;
  key_id: string;
  name: string;
  roles: Role[];
  secret_hash: string;
  expires_at: PgTime | null;
  issued_at: PgTime;
  revoked_at: PgTime | null;
};

/** Rows are keyed by organization and id: ids are unique only inside their organization. */
export const rowKey = (organizationId: string, id: string): string => `${organizationId}\u0000${id}`;

/** The rows one batch may touch, loaded beforehand, and which of them it changed. */
export type IdentityWorkingSet = Readonly<{
  users: Map<string, UserRow>;
  apiKeys: Map<string, ApiKeyRow>;
  changedUsers: Set<string>;
  changedKeys: Set<string>;
}>;

/** The (organization, user or key id) a batch's event concerns, to load its row before folding. */
export const touchedRows = (
  events: readonly RecordedEvent[],
): Readonly<{ users: [string, string][]; apiKeys: [string, string][] }> => {
  const users: [string, string][] = [];
  const apiKeys: [string, string][] = [];
  for (const event of events) {
    const organization = event.metadata.organizationId;
    const data = event.data as { userId?: unknown; keyId?: unknown };
    if (typeof data.userId === 'string') users.push([organization, data.userId]);
    if (typeof data.keyId === 'string') apiKeys.push([organization, data.keyId]);
  }
  return { users, apiKeys };
};

/**
 * Applies one organization event to the working set. Events arrive in stream order and the decider
 * already vouched for them, so a row an event refers to exists unless the history is incomplete;
 * then the event is ignored rather than inventing a row.
 */
export const foldIdentityEvent = (set: IdentityWorkingSet, event: RecordedEvent<OrganizationEvent>): void => {
  const organization = event.metadata.organizationId;
  switch (event.type) {
    case 'UserAdded': {
      const { userId, email, displayName, addedAt } = event.data;
      const key = rowKey(organization, userId);
      set.users.set(key, {
        organization_id: organization,
        user_id: userId,
        email,
        display_name: displayName,
        roles: [],
        added_at: addedAt,
        changed_at: addedAt,
      });
      set.changedUsers.add(key);
      return;
    }
    case 'RoleGranted':
    case 'RoleRevoked': {
      const key = rowKey(organization, event.data.userId);
      const user = set.users.get(key);
      if (!user) return;
      const { role } = event.data;
      const granted = event.type === 'RoleGranted';
      const roles = user.roles.filter((held) => held !== role);
      set.users.set(key, {
        ...user,
        roles: granted ? [...roles, role] : roles,
        changed_at: granted ? event.data.grantedAt : event.data.revokedAt,
      });
      set.changedUsers.add(key);
      return;
    }
    case 'ApiKeyIssued': {
      const { keyId, name, roles, secretHash, expiresAt, issuedAt } = event.data;
      const key = rowKey(organization, keyId);
      set.apiKeys.set(key, {
        organization_id: organization,
        key_id: keyId,
        name,
        roles: [...roles],
        secret_hash: secretHash,
        expires_at: expiresAt,
        issued_at: issuedAt,
        revoked_at: null,
      });
      set.changedKeys.add(key);
      return;
    }
    case 'ApiKeyRevoked': {
      const key = rowKey(organization, event.data.keyId);
      const apiKey = set.apiKeys.get(key);
      if (!apiKey) return;
      set.apiKeys.set(key, { ...apiKey, revoked_at: event.data.revokedAt });
      set.changedKeys.add(key);
      return;
    }
    case 'OrganizationCreated':
      return;
  }
};
