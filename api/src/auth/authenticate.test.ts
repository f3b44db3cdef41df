import { randomUUID } from 'node:crypto';
import type { IdentityUser } from '@netpulse/projections';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../graphql/api-error.js';
import { createAuthenticator } from './authenticate.js';
import { createIdentityLookups } from './identity-lookups.js';
import { createTokenService } from './tokens.js';

const user: IdentityUser = {
  organizationId: 'org-a',
  userId: 'user-1',
  email: 'ops@example.test',
  displayName: 'Ops',
  roles: ['operator'],
  addedAt: new Date('2026-11-01T00:00:00.000Z'),
};

const setup = () => {
  let now = Date.parse('2026-11-21T12:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const tokens = createTokenService({
    secret: 's'.repeat(48),
    accessTtlSeconds: 900,
    refreshTtlSeconds: 86_400,
    clock,
    newId: randomUUID,
  });
  let passwordSetAt: Date | null = null;
  const lookups = createIdentityLookups({
    clock,
    directory: {
      getUser: async ({ organizationId, userId }) =>
        organizationId === user.organizationId && userId === user.userId ? user : null,
      findUsersByEmail: async () => [],
      findApiKeysById: async () => [],
      listUsers: async () => [],
      listApiKeys: async () => [],
    },
    passwordSetAt: async () => passwordSetAt,
  });
  const authenticate = createAuthenticator({ lookups, tokens, clock });
  return {
    tokens,
    authenticate,
    changePassword: () => {
      passwordSetAt = new Date(now);
    },
    advance: (seconds: number) => {
      now += seconds * 1_000;
    },
  };
};

const refusal = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe('authenticate', () => {
  it('accepts a token again from memory, yet refuses it once it has expired', async () => {
    const { tokens, authenticate, advance } = setup();
    const { token } = tokens.issueAccess({ organizationId: 'org-a', userId: 'user-1' });
    const authorization = `Bearer ${token}`;
    expect((await authenticate({ authorization }))?.id).toBe('user-1');
    advance(899);
    expect((await authenticate({ authorization }))?.id).toBe('user-1');
    advance(1);
    const expired = await refusal(authenticate({ authorization }));
    expect(expired.code).toBe('UNAUTHENTICATED');
    expect(expired.message).toBe('access token expired');
  });

  it('refuses the tokens issued before the password changed, and accepts those issued after', async () => {
    const { tokens, authenticate, advance, changePassword } = setup();
    const before = `Bearer ${tokens.issueAccess({ organizationId: 'org-a', userId: 'user-1' }).token}`;
    expect((await authenticate({ authorization: before }))?.id).toBe('user-1');
    advance(60);
    changePassword();
    const refused = await refusal(authenticate({ authorization: before }));
    expect(refused.code).toBe('UNAUTHENTICATED');
    expect(refused.message).toMatch(/password has changed/);
    const after = `Bearer ${tokens.issueAccess({ organizationId: 'org-a', userId: 'user-1' }).token}`;
    expect((await authenticate({ authorization: after }))?.id).toBe('user-1');
  });

  it('never remembers a token that did not check out, nor accepts one that differs by a character', async () => {
    const { tokens, authenticate } = setup();
    const { token } = tokens.issueAccess({ organizationId: 'org-a', userId: 'user-1' });
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    expect((await refusal(authenticate({ authorization: `Bearer ${tampered}` }))).code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await authenticate({ authorization: `Bearer ${token}` }))?.id).toBe('user-1');
    expect((await refusal(authenticate({ authorization: `Bearer ${tampered}` }))).code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
