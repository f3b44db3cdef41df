import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '@netpulse/api';
import { systemClock } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD_FILE, bootstrapFirstAdmin } from './bootstrap-admin.js';
import { migrateIdentityTables } from './identity-migrations.js';
import { PostgresCredentialStore } from './postgres-credential-store.js';
import { capturedLogger, createIdentityFixture, type IdentityFixture } from './testing/identity-fixture.js';

const postgres = await detectPostgres();

describe.skipIf(!postgres.available)('first administrator bootstrap (real PostgreSQL)', () => {
  let fixture: IdentityFixture;
  let credentials: PostgresCredentialStore;
  let dataDir: string;
  const logs = capturedLogger();

  beforeAll(async () => {
    fixture = await createIdentityFixture('boot');
    await migrateIdentityTables(fixture.pool, fixture.eventStoreSchema);
    credentials = new PostgresCredentialStore(fixture.pool, fixture.eventStoreSchema);
    dataDir = mkdtempSync(join(tmpdir(), 'netpulse-boot-'));
  });
  afterAll(async () => {
    await fixture?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const bootstrap = (organizationId: string, password: string | undefined) =>
    bootstrapFirstAdmin({
      store: fixture.store,
      bus: fixture.bus,
      credentials,
      clock: systemClock,
      logger: logs.logger,
      organizationId,
      email: 'ops@netpulse.test',
      password,
      dataDir,
    });

  it('uses NETPULSE_ADMIN_PASSWORD when given: no file, and the log does not carry it', async () => {
    const password = 'configured-admin-password';
    expect(await bootstrap('org-configured', password)).toStrictEqual({
      organizationCreated: true,
      adminCreated: true,
      passwordFile: null,
    });
    const hash = await credentials.passwordHash('org-configured', 'admin');
    expect(await verifyPassword(password, hash!)).toBe(true);
    expect(existsSync(join(dataDir, ADMIN_PASSWORD_FILE))).toBe(false);
    expect(logs.text()).not.toContain(password);
    expect(logs.text()).toContain('ops@netpulse.test');
  });

  it('leaves an organization that already has users alone', async () => {
    await fixture.run(
      'org-staffed',
      { kind: 'system', id: 'test' },
      {
        type: 'CreateOrganization',
        data: { organizationId: 'org-staffed', name: 'Staffed' },
      },
    );
    await fixture.run(
      'org-staffed',
      { kind: 'system', id: 'test' },
      {
        type: 'AddUser',
        data: {
          userId: 'existing',
          email: 'someone@netpulse.test',
          displayName: 'Someone',
          roles: ['admin'],
        },
      },
    );
    expect(await bootstrap('org-staffed', undefined)).toStrictEqual({
      organizationCreated: false,
      adminCreated: false,
      passwordFile: null,
    });
    expect((await fixture.store.readStream('organization-org-staffed')).events).toHaveLength(3);
    expect(existsSync(join(dataDir, ADMIN_PASSWORD_FILE))).toBe(false);
  });

  it('never resets an administrator’s password on a later start', async () => {
    const before = await credentials.passwordHash('org-configured', 'admin');
    await bootstrap('org-configured', 'another-password-entirely');
    expect(await credentials.passwordHash('org-configured', 'admin')).toBe(before);
  });
});
