import type { Clock } from '@netpulse/domain';
import type { IdentityUser } from '@netpulse/projections';
import { invalidInput, unauthenticated } from '../graphql/api-error.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { userPrincipal } from './authenticate.js';
import type { LoginInput, Session } from './identity-ports.js';
import type { CredentialStore, IdentityDirectory, RefreshTokenStore } from './identity-storage.js';
import { loginThrottle } from './login-throttle.js';
import { hashPassword, needsRehash, verifyNobody, verifyPassword } from './password-hashing.js';
import type { TokenService } from './tokens.js';

export type SessionDeps = Readonly<{
  directory: IdentityDirectory;
  credentials: CredentialStore;
  refreshTokens: RefreshTokenStore;
  tokens: TokenService;
  clock: Clock;
  newId: () => string;
  loginLimiter?: RateLimiter;
}>;

const invalidLogin = () => unauthenticated('invalid e-mail or password');

/**
 * Login, refresh and logout. A login starts a family of refresh tokens; each refresh spends its
 * token and issues the next one of the family, and a spent token presented again (a thief's copy,
 * or the victim's after the thief used it) revokes the whole family.
 */
export const createSessions = (deps: SessionDeps) => {
  const { directory, credentials, refreshTokens, tokens, clock } = deps;
  const throttle = loginThrottle(deps.loginLimiter, () => clock.now().getTime());

  const start = async (user: IdentityUser, familyId: string): Promise<Session> => {
    const subject = { organizationId: user.organizationId, userId: user.userId };
    const access = tokens.issueAccess(subject);
    const refresh = tokens.issueRefresh(subject, familyId);
    await refreshTokens.record({
      jti: refresh.jti,
      familyId,
      ...subject,
      issuedAt: clock.now(),
      expiresAt: refresh.expiresAt,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      principal: { ...userPrincipal(user), credentialsExpireAt: access.expiresAt },
    };
  };

  /** Verifies the password of each user the e-mail names; an unknown e-mail costs the same time. */
  const matchingUsers = async (candidates: readonly IdentityUser[], password: string) => {
    if (candidates.length === 0) {
      await verifyNobody(password);
      return [];
    }
    const matches: { user: IdentityUser; hash: string }[] = [];
    for (const user of candidates) {
      const hash = await credentials.passwordHash(user.organizationId, user.userId);
      if (!hash) await verifyNobody(password);
      else if (await verifyPassword(password, hash)) matches.push({ user, hash });
    }
    return matches;
  };

  return {
    login: async ({ email, password, organizationId }: LoginInput): Promise<Session> => {
      const throttleKey = `login:${email.trim().toLowerCase()}`;
      throttle.check(throttleKey);
      const candidates = await directory.findUsersByEmail({
        email: email.trim(),
        organizationId: organizationId ?? null,
      });
      const matches = await matchingUsers(candidates, password);
      const [match] = matches;
      if (!match) {
        await throttle.failed(throttleKey);
        throw invalidLogin();
      }
      // Said only to someone who knows the password in each of them.
      if (matches.length > 1)
        throw invalidInput('this e-mail belongs to several organizations: name one with organizationId', {
          organizationIds: matches.map(({ user }) => user.organizationId),
        });
      if (needsRehash(match.hash)) {
        await credentials.savePasswordHash({
          organizationId: match.user.organizationId,
          userId: match.user.userId,
          hash: await hashPassword(password),
          setBy: { kind: 'system', id: 'password-rehash' },
          at: clock.now(),
        });
      }
      return start(match.user, deps.newId());
    },

    refresh: async (refreshToken: string): Promise<Session> => {
      const claims = tokens.verifyRefresh(refreshToken);
      const familyId = claims.fam!;
      const at = clock.now();
      const use = await refreshTokens.use(claims.jti, at);
      if (use === 'reused') {
        await refreshTokens.revokeFamily(familyId, at);
        throw unauthenticated('refresh token already used: sign in again');
      }
      if (use === 'unknown') throw unauthenticated('invalid token');
      const user = await directory.getUser({ organizationId: claims.org, userId: claims.sub });
      if (!user) throw unauthenticated('invalid token');
      return start(user, familyId);
    },

    logout: async (refreshToken: string): Promise<void> => {
      const claims = tokens.readRefresh(refreshToken);
      await refreshTokens.revokeFamily(claims.fam!, clock.now());
    },
  };
};
