import { invalidInput } from '../graphql/api-error.js';

export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing stays cheap. */
export const MAX_PASSWORD_LENGTH = 256;

/** Refuses passwords too short to resist guessing; says why without echoing the password. */
export const assertAcceptablePassword = (password: string): void => {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    throw invalidInput(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  if (length > MAX_PASSWORD_LENGTH)
    throw invalidInput(`a password may have at most ${MAX_PASSWORD_LENGTH} characters`, {
      field: 'password',
    });
  if (password.trim().length === 0)
    throw invalidInput('a password cannot be only spaces', { field: 'password' });
};
