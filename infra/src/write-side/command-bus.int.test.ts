import { randomUUID } from 'node:crypto';
import { createCommandBus } from '@netpulse/commands';
import { type CommandMetadata, deviceDecider, isDomainError } from '@netpulse/domain';
import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';

const postgres = await detectPostgres();

const metadata = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({
  commandId: randomUUID(),
  now: new Date(),
  organizationId: 'org-a',
  actor: { kind: 'user', id: 'alice' },
  ...overrides,
});

const register = (deviceId: string) => ({
  type: 'RegisterDevice',
  data: { deviceId, name: 'core-1', address: '127.0.0.1', kind: 'router' },
});

const codeOf = (error: unknown) =>
  isDomainError(error) ? error.code : `not a domain error: ${String(error)}`;

describe.skipIf(!postgres.available)('command handling on the PostgreSQL event store', () => {
  let store: PostgresEventStore;
  let bus: ReturnType<typeof createCommandBus>;

  beforeAll(async () => {
    store = await PostgresEventStore.connect({
      connectionString: testDatabaseUrl(),
      schema: uniqueSchemaName('cmd'),
    });
    bus = createCommandBus({ store, locateAlert: async () => null });
  });
  afterAll(async () => {
    await store?.close();
    if (store) await dropSchema(store.schema);
  });

  it('given no device, when RegisterDevice, then DeviceRegistered is stored with who, why and a hash', async () => {
    const deviceId = randomUUID();
    const meta = metadata({ correlationId: 'corr-1' });
    const result = await bus.execute(register(deviceId), meta);
    expect(result).toMatchObject({ streamId: `device-${deviceId}`, version: 0n });

    const [stored] = (await store.readStream(`device-${deviceId}`)).events;
    expect(stored).toMatchObject({
      type: 'DeviceRegistered',
      data: { deviceId, address: '127.0.0.1', probes: { icmp: { intervalSeconds: 30, packets: 3 } } },
      metadata: {
        organizationId: 'org-a',
        actor: { kind: 'user', id: 'alice' },
        correlationId: 'corr-1',
        causationId: meta.commandId,
        schemaVersion: 1,
      },
    });
    expect(stored!.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects malformed input with VALIDATION_FAILED naming the field, and stores nothing', async () => {
    const deviceId = randomUUID();
    const error = await bus
      .execute(
        { type: 'RegisterDevice', data: { deviceId, name: 'x', address: '999.1.1.1', kind: 'router' } },
        metadata(),
      )
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe('VALIDATION_FAILED');
    expect(JSON.stringify((error as { details: unknown }).details)).toContain('address');
    expect((await store.readStream(`device-${deviceId}`)).currentVersion).toBeNull();
    await expect(bus.execute({ type: 'Reboot', data: {} }, metadata())).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(bus.execute(null, metadata())).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers VERSION_CONFLICT without retrying when the caller names a stale version', async () => {
    const deviceId = randomUUID();
    await bus.execute(register(deviceId), metadata());
    await bus.execute({ type: 'PauseMonitoring', data: { deviceId, reason: 'rack move' } }, metadata());
    const stale = bus.execute({ type: 'ResumeMonitoring', data: { deviceId } }, metadata(), {
      expectedVersion: 0n,
    });
    await expect(stale).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    const current = await bus.execute({ type: 'ResumeMonitoring', data: { deviceId } }, metadata(), {
      expectedVersion: 1n,
    });
    expect(current.version).toBe(2n);
  });

  it('re-reads and re-decides when concurrent commands race on one device', async () => {
    const deviceId = randomUUID();
    await bus.execute(register(deviceId), metadata());
    const renames = Array.from({ length: 6 }, (_, n) =>
      bus.execute(
        { type: 'UpdateDevice', data: { deviceId, changes: { name: `core-${n + 10}` } } },
        metadata(),
        {
          maxAttempts: 10,
        },
      ),
    );
    const results = await Promise.all(renames);
    expect(results.map((r) => r.events.length)).toEqual(Array(6).fill(1));
    const { events } = await store.readStream(`device-${deviceId}`);
    expect(events.map((e) => e.streamVersion)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    expect(await store.verifyStream(`device-${deviceId}`)).toMatchObject({ ok: true, eventsChecked: 7 });
  });

  it('refuses another organization with FORBIDDEN', async () => {
    const deviceId = randomUUID();
    await bus.execute(register(deviceId), metadata());
    await expect(
      bus.execute(
        { type: 'DecommissionDevice', data: { deviceId, reason: 'x' } },
        metadata({ organizationId: 'org-b' }),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('shows an auditor the device as it was before a change', async () => {
    const deviceId = randomUUID();
    await bus.execute(register(deviceId), metadata());
    const [registered] = (await store.readStream(`device-${deviceId}`)).events;
    await new Promise((resolve) => setTimeout(resolve, 10));
    await bus.execute({ type: 'DecommissionDevice', data: { deviceId, reason: 'retired' } }, metadata());

    const now = await store.aggregateStream(`device-${deviceId}`, deviceDecider);
    const then = await store.aggregateStream(`device-${deviceId}`, deviceDecider, {
      asOf: registered!.recordedAt,
    });
    expect(now.state.status).toBe('decommissioned');
    expect(then).toMatchObject({ version: 0n, state: { status: 'active' } });
  });
});
