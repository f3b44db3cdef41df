import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JWT_SECRET_FILE, JwtSecretError, loadJwtSecret } from './jwt-secret.js';
import { capturedLogger } from './testing/identity-fixture.js';

describe('JWT secret', () => {
  const folders: string[] = [];
  const folder = () => {
    const path = mkdtempSync(join(tmpdir(), 'netpulse-jwt-'));
    folders.push(path);
    return join(path, 'data');
  };
  afterEach(() => {
    for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it('uses JWT_SECRET when configured and writes nothing', async () => {
    const dataDir = folder();
    const { logger } = capturedLogger();
    const configured = 's'.repeat(40);
    expect(await loadJwtSecret({ configured, nodeEnv: 'production', dataDir, logger })).toBe(configured);
    expect(() => statSync(join(dataDir, JWT_SECRET_FILE))).toThrow();
  });

  it('generates one key into the data folder (0600), keeps it across starts, and never logs it', async () => {
    const dataDir = folder();
    const logs = capturedLogger();
    const options = { configured: undefined, nodeEnv: 'development' as const, dataDir, logger: logs.logger };
    const [a, b] = await Promise.all([loadJwtSecret(options), loadJwtSecret(options)]);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(await loadJwtSecret(options)).toBe(a);
    const path = join(dataDir, JWT_SECRET_FILE);
    expect(readFileSync(path, 'utf8').trim()).toBe(a);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(logs.text()).toContain(path);
    expect(logs.text()).not.toContain(a);
  });

  it('narrows a secret file someone made readable to others', async () => {
    const dataDir = folder();
    const options = {
      configured: undefined,
      nodeEnv: 'test' as const,
      dataDir,
      logger: capturedLogger().logger,
    };
    await loadJwtSecret(options);
    const path = join(dataDir, JWT_SECRET_FILE);
    chmodSync(path, 0o644);
    await loadJwtSecret(options);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses production without JWT_SECRET, and a file holding too short a key', async () => {
    const dataDir = folder();
    const { logger } = capturedLogger();
    await expect(
      loadJwtSecret({ configured: undefined, nodeEnv: 'production', dataDir, logger }),
    ).rejects.toThrow(JwtSecretError);
    await loadJwtSecret({ configured: undefined, nodeEnv: 'development', dataDir, logger });
    writeFileSync(join(dataDir, JWT_SECRET_FILE), 'short\n', { mode: 0o600 });
    await expect(
      loadJwtSecret({ configured: undefined, nodeEnv: 'development', dataDir, logger }),
    ).rejects.toThrow(/fewer than 32/);
  });
});
