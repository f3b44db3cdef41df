import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Id } from '@netpulse/domain';

const PREFIX = 'np_';
/** 32 random bytes in hex: hex has no `_`, so the key id (which may contain `_`) parses unambiguously. */
const SECRET = /^[0-9a-f]{64}$/;

export type GeneratedApiKey = Readonly<{ key: string; secretHash: string }>;

/** SHA-256 of the whole key (id and secret), hex: what the ApiKeyIssued event and read model keep. */
export const apiKeyHash = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** `np_<keyId>_<secret>`: shown to the client once, then only its hash exists anywhere. */
export const generateApiKey = (keyId: string): GeneratedApiKey => {
  const key = `${PREFIX}${keyId}_${randomBytes(32).toString('hex')}`;
  return { key, secretHash: apiKeyHash(key) };
};

/** The key id of a well-formed key, or null for anything else (which is then refused unseen). */
export const parseApiKey = (key: string): Readonly<{ keyId: string }> | null => {
  if (!key.startsWith(PREFIX) || key.length > 300) return null;
  const separator = key.lastIndexOf('_');
  const keyId = key.slice(PREFIX.length, separator);
  if (separator <= PREFIX.length || !SECRET.test(key.slice(separator + 1))) return null;
  return Id.safeParse(keyId).success ? { keyId } : null;
};

/** Constant-time comparison of a presented key with a stored hash. */
export const apiKeyMatches = (key: string, secretHash: string): boolean => {
  const expected = Buffer.from(secretHash, 'hex');
  const actual = createHash('sha256').update(key, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};
