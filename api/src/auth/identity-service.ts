import type { Clock } from '@netpulse/domain';
import type { IdentityApiKey } from '@netpulse/projections';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { pollUntil } from '../poll-until.js';
import { createAuthenticator } from './authenticate.js';
import { createIdentityLookups } from './identity-lookups.js';
import type { ApiKeyView, IdentityPorts } from './identity-ports.js';
import type { CredentialStore, IdentityDirectory, RefreshTokenStore } from './identity-storage.js';
import { hashPassword, verifyNobody, verifyPassword } from './password-hashing.js';
import { assertAcceptablePassword } from './password-policy.js';
import { createSessions } from './sessions.js';
import type { TokenService } from './tokens.js';

export type IdentityServiceDeps = Readonly<{
  directory: IdentityDirectory;
  credentials: CredentialStore;
  refreshTokens: RefreshTokenStore;
  tokens: TokenService;
  clock: Clock;
  newId: () => string;
  /** How long a looked-up user or key is trusted: the delay before a revocation bites (default 5 s). */
  cacheTtlMs?: number;
  /** Counts failed logins per e-mail (shared across processes with Redis), on top of the per-IP request limit. */
  loginLimiter?: RateLimiter;
}>;

const withoutHash = ({ secretHash: _, ...key }: IdentityApiKey): ApiKeyView => key;

/** How often a just-created identity is looked for in the read model (its lag is tens of ms). */
const VISIBLE_POLL_MS = 20;

/**
 * The identity logic of the API: JWT sessions with rotating refresh tokens, API keys checked
 * against their SHA-256, scrypt passwords. Users and keys come from the identities read model;
 * secrets come from the stores infra provides.
 */
export const createIdentityService = (deps: IdentityServiceDeps): IdentityPorts => {
  const { directory, credentials, refreshTokens, clock } = deps;
  const lookups = createIdentityLookups({
    directory,
    clock,
    passwordSetAt: (organizationId, userId) => credentials.passwordSetAt(organizationId, userId),
    ...(deps.cacheTtlMs !== undefined ? { cacheTtlMs: deps.cacheTtlMs } : {}),
  });
  const sessions = createSessions(deps);
  return {
    authenticate: createAuthenticator({ lookups, tokens: deps.tokens, clock }),
    login: sessions.login,
    refresh: sessions.refresh,
    logout: sessions.logout,
    listUsers: (organizationId) => directory.listUsers(organizationId),
    listApiKeys: async (organizationId) => (await directory.listApiKeys(organizationId)).map(withoutHash),
    setPassword: async ({ organizationId, userId, password, setBy }) => {
      assertAcceptablePassword(password);
      const at = clock.now();
      const hash = await hashPassword(password);
      await credentials.savePasswordHash({ organizationId, userId, hash, setBy, at });
      lookups.forgetPassword(organizationId, userId);
      // Whoever held a session under the old password loses it.
      await refreshTokens.revokeUser(organizationId, userId, at);
    },
    verifyPassword: async ({ organizationId, userId, password }) => {
      const hash = await credentials.passwordHash(organizationId, userId);
      return hash ? verifyPassword(password, hash) : verifyNobody(password);
    },
    forget: lookups.forget,
    awaitVisible: async (identity, timeoutMs) => {
      const visible = async () =>
        identity.kind === 'user'
          ? (await directory.getUser(identity)) !== null
          : (await directory.findApiKeysById(identity.keyId)).some(
              (key) => key.organizationId === identity.organizationId,
            );
      return pollUntil(visible, (seen) => seen, {
        timeoutMs,
        intervalMs: VISIBLE_POLL_MS,
        now: () => clock.now().getTime(),
      });
    },
  };
};
