import type { Actor } from '@netpulse/domain';
import type { IdentityApiKey, IdentityUser } from '@netpulse/projections';
import type { Principal } from './principal.js';

/** What a client presented: an `Authorization` value, `Bearer <jwt>` or `ApiKey <key>`. */
export type PresentedCredentials = Readonly<{ authorization?: string }>;

/** What a successful login or refresh hands the client. */
export type Session = Readonly<{
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  principal: Principal;
}>;

export type LoginInput = Readonly<{ email: string; password: string; organizationId?: string | null }>;

export type UserView = IdentityUser;
/** An API key as admins see it: everything but its hash. */
export type ApiKeyView = Readonly<Omit<IdentityApiKey, 'secretHash'>>;

/**
 * Identity as the API needs it. `authenticate` answers null when nothing was presented and throws
 * an UNAUTHENTICATED ApiError when the credentials are invalid, expired or revoked; `login` and
 * `refresh` throw UNAUTHENTICATED alike for every kind of failure. Nothing here authorizes:
 * resolvers do that (context.authorize) and scope every call to the caller's organization.
 */
export interface IdentityPorts {
  authenticate(credentials: PresentedCredentials): Promise<Principal | null>;
  login(input: LoginInput): Promise<Session>;
  /** Rotates: the presented refresh token is spent; presenting it again revokes its whole family. */
  refresh(refreshToken: string): Promise<Session>;
  /** Revokes the refresh token's family: every token rotated from that login. */
  logout(refreshToken: string): Promise<void>;
  listUsers(organizationId: string): Promise<readonly UserView[]>;
  listApiKeys(organizationId: string): Promise<readonly ApiKeyView[]>;
  /** Stores a new password hash and ends the user's refresh sessions. */
  setPassword(
    input: Readonly<{ organizationId: string; userId: string; password: string; setBy: Actor }>,
  ): Promise<void>;
  verifyPassword(
    input: Readonly<{ organizationId: string; userId: string; password: string }>,
  ): Promise<boolean>;
  /** Drops what this process cached about the organization's users and keys, after it changed them. */
  forget(organizationId: string): void;
  /**
   * Resolves once a new user or key shows in the identities read model (projections trail the
   * event store), so whoever created it can use it at once; gives up after `timeoutMs`. True when
   * it showed.
   */
  awaitVisible(identity: NewIdentity, timeoutMs: number): Promise<boolean>;
}

export type NewIdentity = Readonly<
  | { kind: 'user'; organizationId: string; userId: string }
  | { kind: 'api-key'; organizationId: string; keyId: string }
>;
