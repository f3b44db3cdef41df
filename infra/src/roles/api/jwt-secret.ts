import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../runtime/logger.js';
import { createPrivateFileOnce, readPrivateFile } from './private-file.js';

export const JWT_SECRET_FILE = 'jwt-secret';
const MIN_LENGTH = 32;

export class JwtSecretError extends Error {
  override readonly name = 'JwtSecretError';
}

export type JwtSecretOptions = Readonly<{
  /** JWT_SECRET, when set. */
  configured: string | undefined;
  nodeEnv: 'development' | 'production' | 'test';
  dataDir: string;
  logger: Logger;
}>;

/**
 * JWT_SECRET when configured. Otherwise, outside production, a random key generated once into
 * NETPULSE_DATA_DIR/jwt-secret (mode 0600), so sessions survive restarts of the embedded profile.
 * Production without JWT_SECRET is refused: replicas must share one key, and a key in a data
 * folder is a development convenience. The key itself is never logged, only the file's path.
 */
export const loadJwtSecret = async (options: JwtSecretOptions): Promise<string> => {
  if (options.configured) return options.configured;
  if (options.nodeEnv === 'production')
    throw new JwtSecretError('JWT_SECRET is required when NODE_ENV=production (at least 32 characters)');
  const path = join(options.dataDir, JWT_SECRET_FILE);
  const created = await createPrivateFileOnce(path, `${randomBytes(48).toString('base64url')}\n`);
  const { content, narrowed } = await readPrivateFile(path);
  if (created) options.logger.info({ path }, 'generated a JWT secret (set JWT_SECRET to choose one)');
  if (narrowed)
    options.logger.warn({ path }, 'the JWT secret file was readable by others; narrowed it to 0600');
  const secret = content.trim();
  if (secret.length < MIN_LENGTH)
    throw new JwtSecretError(
      `${path} holds fewer than ${MIN_LENGTH} characters; delete it to generate a new key`,
    );
  return secret;
};
