import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Owner-only: secrets written here are readable by the NetPulse user and nobody else. */
const OWNER_ONLY = 0o600;

const temporaryBeside = (path: string) => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

const writeTemporary = async (path: string, content: string): Promise<string> => {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = temporaryBeside(path);
  await writeFile(temporary, content, { mode: OWNER_ONLY, flag: 'wx' });
  return temporary;
};

/**
 * Creates `path` with `content` unless it exists, atomically: a reader (another process starting
 * at the same moment) sees either no file or the whole content, never a half-written one.
 * Returns true when this call created it.
 */
export const createPrivateFileOnce = async (path: string, content: string): Promise<boolean> => {
  const temporary = await writeTemporary(path, content);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
};

/** Writes `content` to a fresh temporary file beside `path`; `commit` moves it into place. */
export const stagePrivateFile = async (path: string, content: string) => {
  const temporary = await writeTemporary(path, content);
  return {
    commit: () => rename(temporary, path),
    discard: () => unlink(temporary).catch(() => undefined),
  };
};

/** Reads a secret file, first narrowing its mode to owner-only when someone widened it. */
export const readPrivateFile = async (
  path: string,
): Promise<Readonly<{ content: string; narrowed: boolean }>> => {
  const { mode } = await stat(path);
  const narrowed = (mode & 0o077) !== 0;
  if (narrowed) await chmod(path, OWNER_ONLY);
  return { content: await readFile(path, 'utf8'), narrowed };
};
