import { Role } from '@netpulse/domain';
import { type Queryable, quoteIdent } from '../sql/queryable.js';

export type IdentityUser = Readonly<{
  organizationId: string;
  userId: string;
  email: string;
  displayName: string;
  roles: readonly Role[];
  addedAt: Date;
}>;

export type IdentityApiKey = Readonly<{
  organizationId: string;
  keyId: string;
  name: string;
  roles: readonly Role[];
  /** SHA-256 (hex) of the whole key; for verifying presented keys, never for display. */
  secretHash: string;
  expiresAt: Date | null;
  issuedAt: Date;
  revokedAt: Date | null;
}>;

/** A role the code no longer knows (a row from a newer version) grants nothing. */
const knownRoles = (roles: readonly string[]): Role[] =>
  roles.flatMap((role) => {
    const parsed = Role.safeParse(role);
    return parsed.success ? [parsed.data] : [];
  });

type UserRecord = Omit<IdentityUser, 'roles'> & { roles: string[] };
type ApiKeyRecord = Omit<IdentityApiKey, 'roles'> & { roles: string[] };

const userSelect = `select organization_id as "organizationId", user_id as "userId", email,
  display_name as "displayName", roles, added_at as "addedAt"`;
const apiKeySelect = `select organization_id as "organizationId", key_id as "keyId", name, roles,
  secret_hash as "secretHash", expires_at as "expiresAt", issued_at as "issuedAt", revoked_at as "revokedAt"`;

const toUser = (row: UserRecord): IdentityUser => ({ ...row, roles: knownRoles(row.roles) });
const toApiKey = (row: ApiKeyRecord): IdentityApiKey => ({ ...row, roles: knownRoles(row.roles) });

/**
 * Users whose e-mail matches (case-insensitively, as the decider compares them), in one organization
 * or, for a login that named none, in every organization.
 */
export const findUsersByEmail = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ email: string; organizationId?: string | null }>,
): Promise<IdentityUser[]> => {
  const params: unknown[] = [input.email];
  let where = 'lower(email) = lower($1)';
  if (input.organizationId) where += ` and organization_id = $${params.push(input.organizationId)}`;
  const { rows } = await q.query<UserRecord>(
    `${userSelect} from ${quoteIdent(schema)}.identity_users where ${where} order by organization_id limit 20`,
    params,
  );
  return rows.map(toUser);
};

export const getIdentityUser = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; userId: string }>,
): Promise<IdentityUser | null> => {
  const { rows } = await q.query<UserRecord>(
    `${userSelect} from ${quoteIdent(schema)}.identity_users where organization_id = $1 and user_id = $2`,
    [input.organizationId, input.userId],
  );
  return rows[0] ? toUser(rows[0]) : null;
};

/** Every key with this id, whatever its organization: the presented secret decides which (if any) it is. */
export const findApiKeysById = async (
  q: Queryable,
  schema: string,
  keyId: string,
): Promise<IdentityApiKey[]> => {
  const { rows } = await q.query<ApiKeyRecord>(
    `${apiKeySelect} from ${quoteIdent(schema)}.identity_api_keys where key_id = $1 limit 20`,
    [keyId],
  );
  return rows.map(toApiKey);
};

export const listIdentityUsers = async (
  q: Queryable,
  schema: string,
  organizationId: string,
): Promise<IdentityUser[]> => {
  const { rows } = await q.query<UserRecord>(
    `${userSelect} from ${quoteIdent(schema)}.identity_users where organization_id = $1 order by lower(email), user_id`,
    [organizationId],
  );
  return rows.map(toUser);
};

export const listIdentityApiKeys = async (
  q: Queryable,
  schema: string,
  organizationId: string,
): Promise<IdentityApiKey[]> => {
  const { rows } = await q.query<ApiKeyRecord>(
    `${apiKeySelect} from ${quoteIdent(schema)}.identity_api_keys where organization_id = $1 order by issued_at, key_id`,
    [organizationId],
  );
  return rows.map(toApiKey);
};

/**
 * The identities read model bound to one database and schema. Kept apart from `readModelQueries`
 * on purpose: it carries key hashes, so only the identity service should hold it.
 */
export const identityQueries = (q: Queryable, schema: string) => ({
  findUsersByEmail: (input: { email: string; organizationId?: string | null }) =>
    findUsersByEmail(q, schema, input),
  getUser: (input: { organizationId: string; userId: string }) => getIdentityUser(q, schema, input),
  findApiKeysById: (keyId: string) => findApiKeysById(q, schema, keyId),
  listUsers: (organizationId: string) => listIdentityUsers(q, schema, organizationId),
  listApiKeys: (organizationId: string) => listIdentityApiKeys(q, schema, organizationId),
});
export type IdentityQueries = ReturnType<typeof identityQueries>;
