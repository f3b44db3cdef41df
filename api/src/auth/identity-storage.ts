import type { Actor } from '@netpulse/domain';
import type { IdentityQueries } from '@netpulse/projections';

/** The identities read model (users, roles, API key hashes), as the identity service reads it. */
export type IdentityDirectory = Pick<
  IdentityQueries,
  'findUsersByEmail' | 'getUser' | 'findApiKeysById' | 'listUsers' | 'listApiKeys'
>;

/**
 * Password hashes, kept out of the event log (a secret in an event would live forever in every
 * copy and replay). Implemented in infra on PostgreSQL.
 */
export interface CredentialStore {
  passwordHash(organizationId: string, userId: string): Promise<string | null>;
  /** When the user's current password was set; null when none is. */
  passwordSetAt(organizationId: string, userId: string): Promise<Date | null>;
  savePasswordHash(
    input: Readonly<{ organizationId: string; userId: string; hash: string; setBy: Actor; at: Date }>,
  ): Promise<void>;
}

export type RefreshTokenRecord = Readonly<{
  jti: string;
  /** Every token rotated from one login shares it. */
  familyId: string;
  organizationId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
}>;

/** `fresh`: first use, now spent; `reused`: spent or revoked before; `unknown`: never issued here or expired. */
export type RefreshUse = 'fresh' | 'reused' | 'unknown';

/** The server-side half of refresh tokens, so rotation can detect a stolen token being replayed. */
export interface RefreshTokenStore {
  record(token: RefreshTokenRecord): Promise<void>;
  /** Atomically spends a token: of two concurrent uses exactly one sees `fresh`. */
  use(jti: string, at: Date): Promise<RefreshUse>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
  revokeUser(organizationId: string, userId: string, at: Date): Promise<void>;
}
