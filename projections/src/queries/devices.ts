import { type Queryable, quoteIdent } from '../sql/queryable.js';
import { clampLimit, decodeCursor, type Page, toPage } from './cursor.js';

export type DeviceView = Readonly<{
  deviceId: string;
  organizationId: string;
  name: string;
  address: string;
  kind: string;
  location: string | null;
  tags: string[];
  parentId: string | null;
  probes: unknown;
  status: string;
  statusReason: string | null;
  statusChangedAt: Date | null;
  monitoringPaused: boolean;
  maintenance: Array<{ windowId: string; startsAt: string; endsAt: string; reason: string }>;
  registeredAt: Date;
  updatedAt: Date;
  decommissionedAt: Date | null;
  lastObservedAt: Date | null;
  reachable: boolean | null;
  lastError: string | null;
  rttAvgMs: number | null;
  lossPct: number | null;
  cpuPct: number | null;
  memoryPct: number | null;
}>;

type DeviceRecord = {
  device_id: string;
  organization_id: string;
  name: string;
  address: string;
  kind: string;
  location: string | null;
  tags: string[];
  parent_id: string | null;
  probes: unknown;
  status: string;
  status_reason: string | null;
  status_changed_at: Date | null;
  monitoring_paused: boolean;
  maintenance: DeviceView['maintenance'];
  registered_at: Date;
  updated_at: Date;
  decommissioned_at: Date | null;
  last_observed_at: Date | null;
  reachable: boolean | null;
  last_error: string | null;
  rtt_avg_ms: number | null;
  loss_pct: number | null;
  cpu_pct: number | null;
  memory_pct: number | null;
};

const toView = (row: DeviceRecord): DeviceView => ({
  deviceId: row.device_id,
  organizationId: row.organization_id,
  name: row.name,
  address: row.address,
  kind: row.kind,
  location: row.location,
  tags: row.tags,
  parentId: row.parent_id,
  probes: row.probes,
  status: row.status,
  statusReason: row.status_reason,
  statusChangedAt: row.status_changed_at,
  monitoringPaused: row.monitoring_paused,
  maintenance: row.maintenance,
  registeredAt: row.registered_at,
  updatedAt: row.updated_at,
  decommissionedAt: row.decommissioned_at,
  lastObservedAt: row.last_observed_at,
  reachable: row.reachable,
  lastError: row.last_error,
  rttAvgMs: row.rtt_avg_ms,
  lossPct: row.loss_pct,
  cpuPct: row.cpu_pct,
  memoryPct: row.memory_pct,
});

export type DeviceFilter = Readonly<{
  organizationId: string;
  status?: string;
  /** Any of these statuses. */
  statuses?: readonly string[];
  tag?: string;
  /** Devices carrying every one of these tags. */
  tags?: readonly string[];
  /** Exact location, compared case-insensitively. */
  location?: string;
  parentId?: string;
  /** Case-insensitive substring of name or address. */
  search?: string;
  includeDecommissioned?: boolean;
  limit?: number;
  cursor?: string | null;
}>;

/** Devices of one organization by name, filtered, with keyset pagination. */
export const listDevices = async (
  q: Queryable,
  schema: string,
  filter: DeviceFilter,
): Promise<Page<DeviceView>> => {
  const limit = clampLimit(filter.limit);
  const params: unknown[] = [filter.organizationId];
  const where = ['organization_id = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (!filter.includeDecommissioned) where.push('decommissioned_at is null');
  if (filter.status) add('status = ?', filter.status);
  if (filter.statuses?.length) add('status = any(?::text[])', filter.statuses);
  if (filter.tag) add('tags @> array[?::text]', filter.tag);
  if (filter.tags?.length) add('tags @> ?::text[]', filter.tags);
  if (filter.location) add('lower(location) = lower(?)', filter.location);
  if (filter.parentId) add('parent_id = ?', filter.parentId);
  if (filter.search)
    add(`(name ilike ? or address ilike ?)`, `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`);
  const after = decodeCursor(filter.cursor);
  if (after) {
    params.push(String(after[0]), String(after[1]));
    where.push(`(name, device_id) > ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit + 1);
  const { rows } = await q.query<DeviceRecord>(
    `select * from ${quoteIdent(schema)}.devices where ${where.join(' and ')}
     order by name, device_id limit $${params.length}`,
    params,
  );
  return toPage(rows.map(toView), limit, (device) => [device.name, device.deviceId]);
};

export const getDevice = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceId: string }>,
): Promise<DeviceView | null> => {
  const { rows } = await q.query<DeviceRecord>(
    `select * from ${quoteIdent(schema)}.devices where organization_id = $1 and device_id = $2`,
    [input.organizationId, input.deviceId],
  );
  return rows[0] ? toView(rows[0]) : null;
};

/** Several devices of one organization at once (a page of alerts naming their devices). */
export const getDevicesByIds = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceIds: readonly string[] }>,
): Promise<DeviceView[]> => {
  if (input.deviceIds.length === 0) return [];
  const { rows } = await q.query<DeviceRecord>(
    `select * from ${quoteIdent(schema)}.devices where organization_id = $1 and device_id = any($2::text[])`,
    [input.organizationId, input.deviceIds],
  );
  return rows.map(toView);
};
