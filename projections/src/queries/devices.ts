import { prepared } from '../sql/prepared.js';
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

/**
 * What a DeviceView is built from. Named rather than `*`: the view also carries the last probe's
 * whole result (jsonb, interface counters included), which nothing here shows and which would be
 * parsed for every row of every page.
 */
const DEVICE_COLUMNS = [
  'device_id',
  'organization_id',
  'name',
  'address',
  'kind',
  'location',
  'tags',
  'parent_id',
  'probes',
  'status',
  'status_reason',
  'status_changed_at',
  'monitoring_paused',
  'maintenance',
  'registered_at',
  'updated_at',
  'decommissioned_at',
  'last_observed_at',
  'reachable',
  'last_error',
  'rtt_avg_ms',
  'loss_pct',
  'cpu_pct',
  'memory_pct',
] as const satisfies readonly (keyof DeviceRecord)[];
const SELECT_DEVICE = `select ${DEVICE_COLUMNS.join(', ')}`;

const columnIndex = Object.fromEntries(DEVICE_COLUMNS.map((name, index) => [name, index])) as Record<
  keyof DeviceRecord,
  number
>;
/** A value of a row fetched as an array, typed by its column. */
const value = <K extends keyof DeviceRecord>(row: readonly unknown[], column: K) =>
  row[columnIndex[column]] as DeviceRecord[K];

/**
 * Rows arrive as arrays (`rowMode: 'array'`): pg then builds no object per row, a quarter of what
 * decoding a page of devices costs.
 */
const toView = (row: readonly unknown[]): DeviceView => ({
  deviceId: value(row, 'device_id'),
  organizationId: value(row, 'organization_id'),
  name: value(row, 'name'),
  address: value(row, 'address'),
  kind: value(row, 'kind'),
  location: value(row, 'location'),
  tags: value(row, 'tags'),
  parentId: value(row, 'parent_id'),
  probes: value(row, 'probes'),
  status: value(row, 'status'),
  statusReason: value(row, 'status_reason'),
  statusChangedAt: value(row, 'status_changed_at'),
  monitoringPaused: value(row, 'monitoring_paused'),
  maintenance: value(row, 'maintenance'),
  registeredAt: value(row, 'registered_at'),
  updatedAt: value(row, 'updated_at'),
  decommissionedAt: value(row, 'decommissioned_at'),
  lastObservedAt: value(row, 'last_observed_at'),
  reachable: value(row, 'reachable'),
  lastError: value(row, 'last_error'),
  rttAvgMs: value(row, 'rtt_avg_ms'),
  lossPct: value(row, 'loss_pct'),
  cpuPct: value(row, 'cpu_pct'),
  memoryPct: value(row, 'memory_pct'),
});

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
  const { rows } = await q.query<unknown[]>({
    ...prepared(
      `${SELECT_DEVICE} from ${quoteIdent(schema)}.devices where ${where.join(' and ')}
     order by name, device_id limit $${params.length}`,
      params,
    ),
    rowMode: 'array',
  });
  return toPage(rows.map(toView), limit, (device) => [device.name, device.deviceId]);
};

export const getDevice = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceId: string }>,
): Promise<DeviceView | null> => {
  const { rows } = await q.query<unknown[]>({
    ...prepared(
      `${SELECT_DEVICE} from ${quoteIdent(schema)}.devices where organization_id = $1 and device_id = $2`,
      [input.organizationId, input.deviceId],
    ),
    rowMode: 'array',
  });
  return rows[0] ? toView(rows[0]) : null;
};

/** Several devices of one organization at once (a page of alerts naming their devices). */
export const getDevicesByIds = async (
  q: Queryable,
  schema: string,
  input: Readonly<{ organizationId: string; deviceIds: readonly string[] }>,
): Promise<DeviceView[]> => {
  if (input.deviceIds.length === 0) return [];
  const { rows } = await q.query<unknown[]>({
    ...prepared(
      `${SELECT_DEVICE} from ${quoteIdent(schema)}.devices where organization_id = $1 and device_id = any($2::text[])`,
      [input.organizationId, input.deviceIds],
    ),
    rowMode: 'array',
  });
  return rows.map(toView);
};
