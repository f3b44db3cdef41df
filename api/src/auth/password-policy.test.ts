import { describe, expect, it } from 'vitest';
import { ApiError } from '../graphql/api-error.js';
import { assertAcceptablePassword } from './password-policy.js';

describe('password policy', () => {
  it('accepts 8 to 256 characters, counting characters rather than bytes', () => {
    expect(() => assertAcceptablePassword('12345678')).not.toThrow();
    expect(() => assertAcceptablePassword('é'.repeat(256))).not.toThrow();
  });

  it.each([
    ['too short', '1234567'],
    ['too long', 'x'.repeat(257)],
    ['only spaces', ' '.repeat(12)],
  ])('refuses a password %s, without echoing it', (_, password) => {
    try {
      assertAcceptablePassword(password);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('VALIDATION_FAILED');
      expect((error as ApiError).message).not.toContain(password);
    }
  });
});
