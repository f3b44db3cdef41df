import { randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../graphql/api-error.js';
import { createTokenService } from './tokens.js';

const secret = 'k'.repeat(48);
const start = new Date('2026-11-21T12:00:00.000Z');

const setup = () => {
  let now = start.getTime();
  const tokens = createTokenService({
    secret,
    accessTtlSeconds: 900,
    refreshTtlSeconds: 86_400,
    clock: { now: () => new Date(now) },
    newId: randomUUID,
  });
  return {
    tokens,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
};
const subject = { organizationId: 'org-a', userId: 'user-1' };

/** The ApiError a call throws (fails the test when it does not throw one). */
const refusal = (call: () => unknown): ApiError => {
  try {
    call();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

describe('JWT access and refresh tokens', () => {
  it('issues an access token with the agreed claims and verifies it', () => {
    const { tokens } = setup();
    const issued = tokens.issueAccess(subject);
    expect(issued.expiresAt).toStrictEqual(new Date(start.getTime() + 900_000));
    const claims = tokens.verifyAccess(issued.token);
    expect(claims).toMatchObject({
      sub: 'user-1',
      org: 'org-a',
      kind: 'user',
      typ: 'access',
      jti: issued.jti,
    });
    expect(claims.exp - claims.iat).toBe(900);
    // No roles in the token: they are looked up on every use.
    expect(payloadOf(issued.token)).not.toHaveProperty('roles');
    expect(JSON.parse(Buffer.from(issued.token.split('.')[0]!, 'base64url').toString()).alg).toBe('HS256');
  });

  it('gives every token its own jti', () => {
    const { tokens } = setup();
    expect(tokens.issueAccess(subject).jti).not.toBe(tokens.issueAccess(subject).jti);
  });

  it('refuses an expired token, at the second it expires', () => {
    const { tokens, advance } = setup();
    const issued = tokens.issueAccess(subject);
    advance(899);
    expect(tokens.verifyAccess(issued.token).sub).toBe('user-1');
    advance(1);
    const error = refusal(() => tokens.verifyAccess(issued.token));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('access token expired');
  });

  it('refuses a token whose payload was altered', () => {
    const { tokens } = setup();
    const [header, payload, signature] = tokens.issueAccess(subject).token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), org: 'org-b' }),
    ).toString('base64url');
    expect(refusal(() => tokens.verifyAccess(`${header}.${forged}.${signature}`)).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses a token signed with another secret, unsigned, or not a JWT at all', () => {
    const { tokens } = setup();
    const claims = { ...payloadOf(tokens.issueAccess(subject).token) };
    const otherKey = createSigner({ key: 'x'.repeat(48), algorithm: 'HS256' })(claims);
    const unsigned = createSigner({ algorithm: 'none' })(claims);
    for (const token of [otherKey, unsigned, 'not-a-token', ''])
      expect(refusal(() => tokens.verifyAccess(token)).message).toBe('invalid token');
  });

  it('after a key rotation accepts what the previous key signed, and signs only with the new one', () => {
    const clock = { now: () => start };
    const options = { accessTtlSeconds: 900, refreshTtlSeconds: 86_400, clock, newId: randomUUID };
    const oldKey = createTokenService({ ...options, secret: 'o'.repeat(48) });
    const rotated = createTokenService({
      ...options,
      secret: 'n'.repeat(48),
      previousSecrets: ['o'.repeat(48)],
    });
    const newKeyOnly = createTokenService({ ...options, secret: 'n'.repeat(48) });

    const signedBefore = oldKey.issueRefresh(subject, 'family-1').token;
    expect(rotated.verifyRefresh(signedBefore)).toMatchObject({ sub: 'user-1', fam: 'family-1' });
    expect(refusal(() => newKeyOnly.verifyRefresh(signedBefore)).message).toBe('invalid token');

    const signedAfter = rotated.issueAccess(subject).token;
    expect(newKeyOnly.verifyAccess(signedAfter)).toMatchObject({ sub: 'user-1' });
    expect(refusal(() => oldKey.verifyAccess(signedAfter)).message).toBe('invalid token');
    expect(() =>
      createTokenService({ ...options, secret: 'n'.repeat(48), previousSecrets: ['short'] }),
    ).toThrow(/previous JWT secret/);
  });

  it('keeps access and refresh tokens apart', () => {
    const { tokens } = setup();
    const refresh = tokens.issueRefresh(subject, 'family-1');
    expect(refusal(() => tokens.verifyAccess(refresh.token)).code).toBe('UNAUTHENTICATED');
    expect(refusal(() => tokens.verifyRefresh(tokens.issueAccess(subject).token)).code).toBe(
      'UNAUTHENTICATED',
    );
    expect(tokens.verifyRefresh(refresh.token)).toMatchObject({ typ: 'refresh', fam: 'family-1' });
  });

  it('reads an expired refresh token for logout only', () => {
    const { tokens, advance } = setup();
    const refresh = tokens.issueRefresh(subject, 'family-1');
    advance(86_400);
    expect(refusal(() => tokens.verifyRefresh(refresh.token)).message).toBe('refresh token expired');
    expect(tokens.readRefresh(refresh.token).fam).toBe('family-1');
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() =>
      createTokenService({
        secret: 'short',
        accessTtlSeconds: 1,
        refreshTtlSeconds: 1,
        clock: { now: () => start },
        newId: randomUUID,
      }),
    ).toThrow(/at least 32/);
  });
});
