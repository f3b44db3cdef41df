import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicesProjection } from '../read-models/devices/devices-projection.js';
import { outagesProjection } from '../read-models/outages/outages-projection.js';
import type { Projection } from '../runner/projection.js';
import { deviceRegistered, statusChanged } from '../testing/device-events.js';
import { applyBatch, createTestVersion } from '../testing/project-directly.js';
import { availability } from './availability.js';

const postgres = await detectPostgres();

const at = (iso: string) => iso;
const change = statusChanged;

describe.skipIf(!postgres.available)('availability and MTTR (fixed timestamps, real PostgreSQL)', () => {
  const schema = uniqueSchemaName('avail');
  let pool: pg.Pool;

  const apply = async (projection: Projection, events: Parameters<Projection['apply']>[1]) =>
    applyBatch(pool, projection, await createTestVersion(pool, schema, projection), events);

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await pool.query(`create schema "${schema}"`);
    const registered = deviceRegistered;
    await apply(devicesProjection(), [
      registered('d1', '2026-10-01T00:00:00.000Z'),
      registered('d2', '2026-11-20T12:00:00.000Z'),
    ]);
    await apply(outagesProjection(), [
      // d1: 30 min down 10 days ago, 1 h unreachable→down 2 days ago, down again 10 min before now.
      change('d1', 'down', at('2026-11-11T12:00:00.000Z')),
      change('d1', 'up', at('2026-11-11T12:30:00.000Z')),
      change('d1', 'unreachable', at('2026-11-19T12:00:00.000Z')),
      change('d1', 'down', at('2026-11-19T12:20:00.000Z')),
      change('d1', 'degraded', at('2026-11-19T13:00:00.000Z')),
      change('d1', 'down', at('2026-11-21T11:50:00.000Z')),
    ]);
  });

  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });

  const now = new Date('2026-11-21T12:00:00.000Z');

  it('computes one device over 24 h, 7 d and 30 d', async () => {
    const result = await availability(pool, schema, { organizationId: 'org-a', deviceId: 'd1', now });
    expect(
      result.map(({ window, downtimeSeconds, outages, mttrSeconds }) => ({
        window,
        downtimeSeconds,
        outages,
        mttrSeconds,
      })),
    ).toEqual([
      { window: '24h', downtimeSeconds: 600, outages: 1, mttrSeconds: null },
      { window: '7d', downtimeSeconds: 4_200, outages: 2, mttrSeconds: 3_600 },
      { window: '30d', downtimeSeconds: 6_000, outages: 3, mttrSeconds: 2_700 },
    ]);
    expect(result[0]!.availabilityPct).toBeCloseTo(100 * (1 - 600 / 86_400), 10);
    // Registered 51 days ago: the 30-day window is wholly monitored.
    expect(result[2]!.monitoredSeconds).toBe(30 * 86_400);
    expect(result[2]!.availabilityPct).toBeCloseTo(100 * (1 - 6_000 / 2_592_000), 10);
  });

  it('pools an organization over monitored time, counting a device only since its registration', async () => {
    const [day] = await availability(pool, schema, { organizationId: 'org-a', now });
    // d2 was registered 24 h before now: both devices fully monitored for the last day.
    expect(day).toMatchObject({ monitoredSeconds: 2 * 86_400, downtimeSeconds: 600 });
    const week = (await availability(pool, schema, { organizationId: 'org-a', now }))[1]!;
    expect(week.monitoredSeconds).toBe(7 * 86_400 + 86_400);
    expect(await availability(pool, schema, { organizationId: 'org-b', now })).toEqual([
      expect.objectContaining({ window: '24h', availabilityPct: null, monitoredSeconds: 0 }),
      expect.objectContaining({ window: '7d', availabilityPct: null }),
      expect.objectContaining({ window: '30d', availabilityPct: null }),
    ]);
  });
});
