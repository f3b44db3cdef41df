import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicesProjection } from '../read-models/devices/devices-projection.js';
import { outagesProjection } from '../read-models/outages/outages-projection.js';
import type { Projection } from '../runner/projection.js';
import { deviceRegistered, statusChanged } from '../testing/device-events.js';
import { applyBatch, createTestVersion } from '../testing/project-directly.js';
import { availability } from './availability.js';
import { availabilityOfDevices } from './device-availability.js';

const postgres = await detectPostgres();

const registered = deviceRegistered;
const change = statusChanged;

describe.skipIf(!postgres.available)('availability of several devices in one query (real PostgreSQL)', () => {
  const schema = uniqueSchemaName('avail_many');
  let pool: pg.Pool;

  const apply = async (projection: Projection, events: Parameters<Projection['apply']>[1]) =>
    applyBatch(pool, projection, await createTestVersion(pool, schema, projection), events);

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await pool.query(`create schema "${schema}"`);
    await apply(devicesProjection(), [
      registered('d1', '2026-10-01T00:00:00.000Z'),
      registered('d2', '2026-11-20T12:00:00.000Z'),
      registered('d3', '2026-10-01T00:00:00.000Z'),
      registered('foreign', '2026-10-01T00:00:00.000Z', 'org-b'),
    ]);
    await apply(outagesProjection(), [
      change('d1', 'down', '2026-11-11T12:00:00.000Z'),
      change('d1', 'up', '2026-11-11T12:30:00.000Z'),
      change('d1', 'unreachable', '2026-11-19T12:00:00.000Z'),
      change('d1', 'degraded', '2026-11-19T13:00:00.000Z'),
      change('d1', 'down', '2026-11-21T11:50:00.000Z'),
      change('d2', 'down', '2026-11-21T06:00:00.000Z'),
      change('d2', 'up', '2026-11-21T07:00:00.000Z'),
      change('foreign', 'down', '2026-11-21T06:00:00.000Z'),
    ]);
  });

  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });

  it('gives each device exactly what availability() gives it alone, and nothing of other organizations', async () => {
    const now = new Date('2026-11-21T12:00:00.000Z');
    const batched = await availabilityOfDevices(pool, schema, {
      organizationId: 'org-a',
      deviceIds: ['d1', 'd2', 'd3', 'foreign', 'missing'],
      now,
    });
    expect([...batched.keys()].sort()).toEqual(['d1', 'd2', 'd3']);
    for (const deviceId of ['d1', 'd2', 'd3'])
      expect(batched.get(deviceId)).toEqual(
        await availability(pool, schema, { organizationId: 'org-a', deviceId, now }),
      );
    expect(batched.get('d3')?.map((window) => window.availabilityPct)).toEqual([100, 100, 100]);
  });
});
