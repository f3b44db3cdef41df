import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 takes ~90 ms and 32 MiB here, on libuv's thread pool. */
export type ScryptParameters = Readonly<{ log2N: number; r: number; p: number }>;
export const defaultScryptParameters: ScryptParameters = { log2N: 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';

const derive = (password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> => {
  const options: ScryptOptions = {
    N: 2 ** parameters.log2N,
    r: parameters.r,
    p: parameters.p,
    // scrypt needs 128·N·r bytes; leave headroom above Node's 32 MiB default.
    maxmem: 256 * 2 ** parameters.log2N * parameters.r,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
};

/**
 * `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url): the parameters travel with each hash, so
 * raising them later still verifies old hashes (and `needsRehash` says when to upgrade one).
 */
export const hashPassword = async (
  password: string,
  parameters: ScryptParameters = defaultScryptParameters,
): Promise<string> => {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, parameters);
  const { log2N, r, p } = parameters;
  return [PREFIX, log2N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

type Parsed = Readonly<{ parameters: ScryptParameters; salt: Buffer; key: Buffer }>;

const parseHash = (stored: string): Parsed | null => {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a corrupted row from asking for gigabytes.
  if (
    ![log2N, r, p].every(Number.isInteger) ||
    log2N < 10 ||
    log2N > 20 ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 16
  )
    return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < SALT_LENGTH || key.length !== KEY_LENGTH) return null;
  return { parameters: { log2N, r, p }, salt, key };
};

/** True when `password` produced `stored`; compared in constant time. A malformed hash never matches. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
};

export const needsRehash = (
  stored: string,
  parameters: ScryptParameters = defaultScryptParameters,
): boolean => {
  const parsed = parseHash(stored);
  return !parsed || parsed.parameters.log2N < parameters.log2N || parsed.parameters.r < parameters.r;
};

let dummy: Promise<string> | undefined;

/**
 * Spends the time a real verification takes, for a login whose e-mail matched nobody (or a user
 * without a password): the answer's timing must not tell which e-mails exist. Always false.
 */
export const verifyNobody = async (password: string): Promise<false> => {
  dummy ??= hashPassword('no user has this password');
  await verifyPassword(password, await dummy);
  return false;
};
