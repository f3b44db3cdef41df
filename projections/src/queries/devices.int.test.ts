import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicesProjection } from '../read-models/devices/devices-projection.js';
import { deviceRegistered, statusChanged } from '../testing/device-events.js';
import { applyBatch, createTestVersion } from '../testing/project-directly.js';
import { recorded } from '../testing/recorded.js';
import { DEVICE_FIELDS, deviceColumns, listDevices } from './devices.js';

const postgres = await detectPostgres();

describe.skipIf(!postgres.available)('devices pages read as one JSON text (real PostgreSQL)', () => {
  const schema = uniqueSchemaName('devices_json');
  let pool: pg.Pool;

  /** What pg itself decodes from the view, row by row: the page must be exactly this. */
  const decodedByPg = async (organizationId: string) => {
    const columns = deviceColumns(DEVICE_FIELDS);
    const { rows } = await pool.query<unknown[]>({
      text: `${columns.select} from "${schema}".devices where organization_id = $1 and decommissioned_at is null
        order by name, device_id`,
      values: [organizationId],
      rowMode: 'array',
    });
    return rows.map((row) => Object.fromEntries(columns.fields.map((field, i) => [field, row[i]])));
  };

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await pool.query(`create schema "${schema}"`);
    const projection = devicesProjection();
    await applyBatch(pool, projection, await createTestVersion(pool, schema, projection), [
      deviceRegistered('d-b', '2026-10-01T00:00:00.123Z'),
      deviceRegistered('d-a', '2026-10-02T00:00:00.000Z'),
      deviceRegistered('d-c', '2026-10-03T00:00:00.000Z'),
      deviceRegistered('other-org', '2026-10-01T00:00:00.000Z', 'org-b'),
      statusChanged('d-a', 'down', '2026-11-21T10:38:22.987Z'),
      recorded('device-d-b', 'DeviceMaintenanceScheduled', {
        deviceId: 'd-b',
        windowId: 'w1',
        startsAt: '2026-11-22T00:00:00.000Z',
        endsAt: '2026-11-22T02:00:00.000Z',
        reason: 'firmware "quoted" \\ and ünïcode',
        scheduledAt: '2026-11-21T00:00:00.000Z',
      }),
    ]);
  });

  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });

  it('gives every column as pg decodes it: text, arrays, JSON documents, booleans, dates', async () => {
    const page = await listDevices(pool, schema, { organizationId: 'org-a' });
    expect(page.items).toStrictEqual(await decodedByPg('org-a'));
    expect(page.items.map((device) => device.deviceId)).toStrictEqual(['d-a', 'd-b', 'd-c']);
    expect(page.items[0]?.statusChangedAt).toStrictEqual(new Date('2026-11-21T10:38:22.987Z'));
    expect(page.items[1]?.maintenance[0]?.reason).toBe('firmware "quoted" \\ and ünïcode');
  });

  it('reads only the selected columns and keeps the key, in pages that resume after their cursor', async () => {
    const columns = deviceColumns(['status', 'registeredAt', 'tags']);
    const first = await listDevices(pool, schema, { organizationId: 'org-a', limit: 2 }, columns);
    expect(first.items).toStrictEqual([
      {
        deviceId: 'd-a',
        name: 'd-a',
        status: 'down',
        registeredAt: new Date('2026-10-02T00:00:00.000Z'),
        tags: [],
      },
      {
        deviceId: 'd-b',
        name: 'd-b',
        status: expect.any(String),
        registeredAt: new Date('2026-10-01T00:00:00.123Z'),
        tags: [],
      },
    ]);
    const rest = await listDevices(
      pool,
      schema,
      { organizationId: 'org-a', limit: 2, cursor: first.nextCursor },
      columns,
    );
    expect(rest.items.map((device) => device.deviceId)).toStrictEqual(['d-c']);
    expect(rest.nextCursor).toBeNull();
  });

  it('is planned once per connection: PostgreSQL keeps the generic plan of a page', async () => {
    // Enough devices that a plan for any limit is not the plan for a page.
    const projection = devicesProjection();
    await applyBatch(
      pool,
      projection,
      await createTestVersion(pool, schema, projection),
      Array.from({ length: 2_000 }, (_, i) =>
        deviceRegistered(`many-${i}`, '2026-10-01T00:00:00.000Z', 'org-many'),
      ),
    );
    await pool.query(`analyze "${schema}".devices_v1`);
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      for (let i = 0; i < 8; i++) await listDevices(client, schema, { organizationId: 'org-many', limit: 2 });
      const { rows } = await client.query<{ generic_plans: string }>(
        'select generic_plans from pg_prepared_statements',
      );
      expect(rows).toHaveLength(1);
      // The first five executions are planned for their parameters; every later one reuses the plan.
      expect(Number(rows[0]?.generic_plans)).toBeGreaterThanOrEqual(2);
    } finally {
      await client.end();
    }
  });

  it('answers an empty page when nothing matches', async () => {
    const page = await listDevices(pool, schema, { organizationId: 'org-none' });
    expect(page).toStrictEqual({ items: [], nextCursor: null });
  });
});
