import { gql } from '../graphql/document';
import type { DateTime, Role } from '../graphql/schema-types';

/** Who is signed in: roles and the permissions the API grants them. */
export type Identity = Readonly<{
  organizationId: string;
  kind: string;
  id: string;
  displayName: string | null;
  roles: readonly Role[];
  permissions: readonly string[];
}>;

export type Session = Readonly<{
  accessToken: string;
  accessTokenExpiresAt: DateTime;
  refreshToken: string;
  refreshTokenExpiresAt: DateTime;
  identity: Identity;
}>;

const IDENTITY_FIELDS = 'organizationId kind id displayName roles permissions';
const SESSION_FIELDS = `accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt identity { ${IDENTITY_FIELDS} }`;

export const LoginMutation = gql<{ login: Session }, { email: string; password: string }>(
  `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION_FIELDS} } }`,
);

export const RefreshSessionMutation = gql<{ refreshSession: Session }, { refreshToken: string }>(
  `mutation RefreshSession($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`,
);

export const MeQuery = gql<{ me: Identity }>(`query Me { me { ${IDENTITY_FIELDS} } }`);

/** Reads a stored session back, refusing anything that is not one. */
export const parseSession = (text: string | null): Session | null => {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    const identity = record.identity as Record<string, unknown> | undefined;
    if (
      typeof record.accessToken !== 'string' ||
      typeof record.refreshToken !== 'string' ||
      typeof record.accessTokenExpiresAt !== 'string' ||
      typeof record.refreshTokenExpiresAt !== 'string' ||
      typeof identity !== 'object' ||
      identity === null ||
      !Array.isArray(identity.roles) ||
      !Array.isArray(identity.permissions)
    )
      return null;
    return value as Session;
  } catch {
    return null;
  }
};

/** Milliseconds until the token must be replaced (negative once expired). */
export const msUntil = (iso: DateTime, now: number): number => Date.parse(iso) - now;
