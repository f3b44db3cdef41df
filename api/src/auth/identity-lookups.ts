import type { Clock } from '@netpulse/domain';
import type { IdentityApiKey, IdentityUser } from '@netpulse/projections';
import type { IdentityDirectory } from './identity-storage.js';
import { createTtlCache } from './ttl-cache.js';

/** How long after a change this process made it reads identities uncached (read-model lag). */
const SETTLE_MS = 3_000;
/** Not an organization id (ids have no spaces): the scope of the key-id cache. */
const KEYS_SCOPE = 'api keys';

export type IdentityLookupOptions = Readonly<{
  directory: IdentityDirectory;
  clock: Clock;
  /** How long a looked-up user or key is trusted: the delay before a revocation bites (default 5 s). */
  cacheTtlMs?: number;
  /** When the user's current password was set (the credential store's answer). */
  passwordSetAt: (organizationId: string, userId: string) => Promise<Date | null>;
}>;

/**
 * Users and keys as every request's authentication needs them: from the identities read model,
 * through a short cache, so a token check rarely costs a query yet roles and revocations are
 * never older than the cache's time to live.
 */
export const createIdentityLookups = ({
  directory,
  clock,
  cacheTtlMs = 5_000,
  passwordSetAt,
}: IdentityLookupOptions) => {
  const now = () => clock.now().getTime();
  const cacheOptions = { ttlMs: cacheTtlMs, maxEntries: 10_000, now };
  const users = createTtlCache<IdentityUser | null>(cacheOptions);
  const keys = createTtlCache<readonly IdentityApiKey[]>(cacheOptions);
  const passwordTimes = createTtlCache<Date | null>(cacheOptions);
  const userKey = (organizationId: string, userId: string) => `${organizationId}\u0000${userId}`;
  /**
   * After this process changed an organization's identities, the read model lags a moment behind
   * the event store; caching what it still shows would keep a revoked role alive for a whole TTL.
   * So for a few seconds lookups go to the read model every time.
   */
  const settlingUntil = new Map<string, number>();
  const ttlFor = (scope: string): number | undefined => {
    const until = settlingUntil.get(scope);
    if (until === undefined) return undefined;
    if (until > now()) return 0;
    settlingUntil.delete(scope);
    return undefined;
  };

  return {
    user: (organizationId: string, userId: string) =>
      users.get(
        userKey(organizationId, userId),
        () => directory.getUser({ organizationId, userId }),
        ttlFor(organizationId),
      ),
    /**
     * When the user's password was last set; tokens issued before no longer count. The credential
     * store is not a lagging read model: this process forgets its entry when it sets a password
     * (`forgetPassword`), other processes within the cache's lifetime.
     */
    passwordSetAt: (organizationId: string, userId: string) =>
      passwordTimes.get(userKey(organizationId, userId), () => passwordSetAt(organizationId, userId)),
    forgetPassword: (organizationId: string, userId: string) =>
      passwordTimes.forget(userKey(organizationId, userId)),
    apiKeys: (keyId: string) => keys.get(keyId, () => directory.findApiKeysById(keyId), ttlFor(KEYS_SCOPE)),
    forget: (organizationId: string) => {
      const until = now() + SETTLE_MS;
      users.forget(`${organizationId}\u0000`);
      settlingUntil.set(organizationId, until);
      // Key entries are cached by key id across organizations; they are few, so drop them all.
      keys.forget('');
      settlingUntil.set(KEYS_SCOPE, until);
    },
  };
};
export type IdentityLookups = ReturnType<typeof createIdentityLookups>;
