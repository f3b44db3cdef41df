import type { Clock } from '@netpulse/domain';
import type { IdentityUser } from '@netpulse/projections';
import { unauthenticated } from '../graphql/api-error.js';
import { apiKeyMatches, parseApiKey } from './api-key.js';
import type { IdentityLookups } from './identity-lookups.js';
import type { PresentedCredentials } from './identity-ports.js';
import type { Principal } from './principal.js';
import type { TokenClaims, TokenService } from './tokens.js';
import { createTtlCache } from './ttl-cache.js';

export const userPrincipal = (user: IdentityUser): Principal => ({
  kind: 'user',
  id: user.userId,
  organizationId: user.organizationId,
  roles: user.roles,
  displayName: user.displayName,
});

/**
 * Who presented these credentials: `Bearer <access token>` (a person) or `ApiKey <key>` (an
 * integrator). Null when nothing was presented; UNAUTHENTICATED for anything else that does not
 * check out. Roles come from the lookups, never from the token.
 */
export const createAuthenticator = (
  deps: Readonly<{
    lookups: IdentityLookups;
    tokens: TokenService;
    clock: Clock;
  }>,
) => {
  // Checking a token's signature and claims is a third of what authenticating a request costs,
  // and clients send the same token for its whole life: a token that checked out is remembered by
  // its exact text for a minute. Its expiry is still compared with the clock on every use.
  const now = () => deps.clock.now().getTime();
  const verified = createTtlCache<TokenClaims>({ ttlMs: 60_000, maxEntries: 10_000, now });
  const byToken = async (token: string): Promise<Principal> => {
    const claims = await verified.get(token, async () => deps.tokens.verifyAccess(token));
    if (claims.exp * 1000 <= now()) throw unauthenticated('access token expired');
    // A new password ends every session of the old one, access tokens included. Tokens carry whole
    // seconds: one issued in the second of the change still counts (that is the new login).
    const passwordSetAt = await deps.lookups.passwordSetAt(claims.org, claims.sub);
    if (passwordSetAt && claims.iat < Math.floor(passwordSetAt.getTime() / 1000))
      throw unauthenticated('the password has changed since this token was issued; sign in again');
    const user = await deps.lookups.user(claims.org, claims.sub);
    if (!user) throw unauthenticated('invalid token');
    return { ...userPrincipal(user), credentialsExpireAt: new Date(claims.exp * 1000) };
  };

  const byApiKey = async (presented: string): Promise<Principal> => {
    const parsed = parseApiKey(presented);
    if (!parsed) throw unauthenticated('invalid API key');
    const candidates = await deps.lookups.apiKeys(parsed.keyId);
    // Key ids are unique per organization only: the secret decides which key (if any) this is.
    const key = candidates.find((candidate) => apiKeyMatches(presented, candidate.secretHash));
    if (!key) throw unauthenticated('invalid API key');
    if (key.revokedAt) throw unauthenticated('API key revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= deps.clock.now().getTime())
      throw unauthenticated('API key expired');
    return {
      kind: 'api-key',
      id: key.keyId,
      organizationId: key.organizationId,
      roles: key.roles,
      displayName: key.name,
      ...(key.expiresAt ? { credentialsExpireAt: key.expiresAt } : {}),
    };
  };

  return async (presented: PresentedCredentials): Promise<Principal | null> => {
    const value = presented.authorization?.trim();
    if (!value) return null;
    const [, scheme = '', credential = ''] = /^(\S+)\s+(\S+)$/.exec(value) ?? [];
    if (scheme.toLowerCase() === 'bearer') return byToken(credential);
    if (scheme.toLowerCase() === 'apikey') return byApiKey(credential);
    throw unauthenticated('unsupported authorization: send Bearer <token> or ApiKey <key>');
  };
};
