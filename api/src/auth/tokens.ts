import type { Clock } from '@netpulse/domain';
import { createSigner, createVerifier } from 'fast-jwt';
import { z } from 'zod';
import { unauthenticated } from '../graphql/api-error.js';

const ISSUER = 'netpulse';
const AUDIENCE = 'netpulse-api';
const MIN_SECRET_LENGTH = 32;

/** Who a token speaks for: people only (integrators present API keys, never tokens). */
export type TokenSubject = Readonly<{ organizationId: string; userId: string }>;

const Claims = z.object({
  sub: z.string().min(1),
  org: z.string().min(1),
  kind: z.literal('user'),
  typ: z.enum(['access', 'refresh']),
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  /** Refresh tokens only: the login they descend from, revoked as a whole when a token is reused. */
  fam: z.string().min(1).optional(),
});
export type TokenClaims = Readonly<z.infer<typeof Claims>>;

export type IssuedToken = Readonly<{ token: string; jti: string; expiresAt: Date }>;

export type TokenServiceOptions = Readonly<{
  secret: string;
  /**
   * Keys retired by a rotation: tokens they signed are still accepted (until they expire), new ones
   * are signed with `secret` only. Lets a key change without signing everybody out.
   */
  previousSecrets?: readonly string[];
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  clock: Clock;
  newId: () => string;
}>;

/**
 * HS256 tokens with the claims sub, org, kind, typ (access | refresh), jti, iat, exp (and fam on
 * refresh tokens). Roles are deliberately not claims: they are looked up on every use, so a revoked
 * role stops working without waiting for the token to expire.
 */
export const createTokenService = (options: TokenServiceOptions) => {
  if (options.secret.length < MIN_SECRET_LENGTH)
    throw new Error(`the JWT secret must have at least ${MIN_SECRET_LENGTH} characters`);
  const sign = createSigner({ key: options.secret, algorithm: 'HS256', iss: ISSUER, aud: AUDIENCE });
  // Expiry is checked against the injected clock below, not fast-jwt's own reading of Date.now().
  const verifierFor = (key: string) =>
    createVerifier({
      key,
      algorithms: ['HS256'],
      allowedIss: ISSUER,
      allowedAud: AUDIENCE,
      ignoreExpiration: true,
      ignoreNotBefore: true,
      requiredClaims: ['sub', 'org', 'kind', 'typ', 'jti', 'iat', 'exp'],
      cache: false,
    });
  const previous = options.previousSecrets ?? [];
  if (previous.some((key) => key.length < MIN_SECRET_LENGTH))
    throw new Error(`a previous JWT secret must have at least ${MIN_SECRET_LENGTH} characters`);
  // The current key first: after a rotation nearly every token is signed with it.
  const verifiers = [options.secret, ...previous].map(verifierFor);
  const verify = (token: string): unknown => {
    let failure: unknown;
    for (const verifier of verifiers) {
      try {
        return verifier(token);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  };

  const issue = (
    subject: TokenSubject,
    typ: 'access' | 'refresh',
    ttlSeconds: number,
    familyId?: string,
  ): IssuedToken => {
    const iat = Math.floor(options.clock.now().getTime() / 1000);
    const exp = iat + ttlSeconds;
    const jti = options.newId();
    const claims: TokenClaims = {
      sub: subject.userId,
      org: subject.organizationId,
      kind: 'user',
      typ,
      jti,
      iat,
      exp,
      ...(familyId ? { fam: familyId } : {}),
    };
    return { token: sign(claims), jti, expiresAt: new Date(exp * 1000) };
  };

  const check = (token: string, typ: 'access' | 'refresh', allowExpired = false): TokenClaims => {
    let payload: unknown;
    try {
      payload = verify(token);
    } catch {
      // Bad signature, wrong algorithm, malformed: all the same to the client.
      throw unauthenticated('invalid token');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success || claims.data.typ !== typ) throw unauthenticated('invalid token');
    if (typ === 'refresh' && !claims.data.fam) throw unauthenticated('invalid token');
    if (!allowExpired && claims.data.exp * 1000 <= options.clock.now().getTime())
      throw unauthenticated(`${typ} token expired`);
    return claims.data;
  };

  return {
    issueAccess: (subject: TokenSubject) => issue(subject, 'access', options.accessTtlSeconds),
    issueRefresh: (subject: TokenSubject, familyId: string) =>
      issue(subject, 'refresh', options.refreshTtlSeconds, familyId),
    verifyAccess: (token: string) => check(token, 'access'),
    verifyRefresh: (token: string) => check(token, 'refresh'),
    /** A refresh token's claims even when expired (logging out needs no live token). */
    readRefresh: (token: string) => check(token, 'refresh', true),
  };
};
export type TokenService = ReturnType<typeof createTokenService>;
