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
 * The column each field of a DeviceView is read from. Named rather than `*`: the view also carries
 * the last probe's whole result (jsonb, interface counters included), which nothing here shows and
 * which would be parsed for every row of every page.
 */
const COLUMN_OF = {
  deviceId: 'device_id',
  organizationId: 'organization_id',
  name: 'name',
  address: 'address',
  kind: 'kind',
  location: 'location',
  tags: 'tags',
  parentId: 'parent_id',
  probes: 'probes',
  status: 'status',
  statusReason: 'status_reason',
  statusChangedAt: 'status_changed_at',
  monitoringPaused: 'monitoring_paused',
  maintenance: 'maintenance',
  registeredAt: 'registered_at',
  updatedAt: 'updated_at',
  decommissionedAt: 'decommissioned_at',
  lastObservedAt: 'last_observed_at',
  reachable: 'reachable',
  lastError: 'last_error',
  rttAvgMs: 'rtt_avg_ms',
  lossPct: 'loss_pct',
  cpuPct: 'cpu_pct',
  memoryPct: 'memory_pct',
} as const satisfies { [F in keyof DeviceView]: keyof DeviceRecord };

export type DeviceField = keyof DeviceView;
export const DEVICE_FIELDS = Object.keys(COLUMN_OF) as readonly DeviceField[];

/** Always read: the keyset key of a page and the id every per-device lookup starts from. */
type KeyField = 'deviceId' | 'name';
const KEY_FIELDS: readonly KeyField[] = ['deviceId', 'name'];

/** A device of which only some fields were read (those its reader asked for), key always included. */
export type PartialDeviceView = Pick<DeviceView, KeyField> & Partial<DeviceView>;

/** Fields held as `timestamptz`: in a JSON row they arrive as ISO 8601 text. */
const TIMESTAMP_FIELDS: ReadonlySet<DeviceField> = new Set<DeviceField>([
  'statusChangedAt',
  'registeredAt',
  'updatedAt',
  'decommissionedAt',
  'lastObservedAt',
]);

/**
 * Which fields a page reads, built once per shape of request (see `deviceColumns`): decoding was
 * about half of what a page cost the API, and a dashboard's list shows a third of the view's columns.
 * `jsonRow` is the same columns as one JSON array per row (see `listDevices`).
 */
export type DeviceColumns = Readonly<{
  fields: readonly DeviceField[];
  select: string;
  jsonRow: string;
  /** Positions in a row of the fields that are timestamps. */
  timestamps: readonly number[];
}>;

export const deviceColumns = (wanted: Iterable<DeviceField>): DeviceColumns => {
  const fields = [...new Set<DeviceField>([...KEY_FIELDS, ...wanted])];
  const columns = fields.map((field) => COLUMN_OF[field]);
  return {
    fields,
    select: `select ${columns.join(', ')}`,
    jsonRow: `json_build_array(${columns.join(', ')})`,
    timestamps: fields.flatMap((field, index) => (TIMESTAMP_FIELDS.has(field) ? [index] : [])),
  };
};

const ALL_COLUMNS = deviceColumns(DEVICE_FIELDS);
const SELECT_DEVICE = ALL_COLUMNS.select;

/**
 * Rows arrive as arrays (`rowMode: 'array'`): pg then builds no object per row, a quarter of what
 * decoding a page of devices costs. The fields a row lacks are absent, not null.
 */
const toPartialView = (columns: DeviceColumns, row: readonly unknown[]): PartialDeviceView => {
  const view: Record<string, unknown> = {};
  const { fields } = columns;
  for (let index = 0; index < fields.length; index++) view[fields[index]!] = row[index];
  return view as PartialDeviceView;
};

/** A row of a JSON page: as pg would have decoded it once its timestamps are dates again. */
const fromJsonRow = (columns: DeviceColumns, row: unknown[]): PartialDeviceView => {
  for (const index of columns.timestamps) {
    const value = row[index];
    if (typeof value === 'string') row[index] = new Date(value);
  }
  return toPartialView(columns, row);
};

/** A row read with every column is a whole DeviceView. */
const toView = (row: readonly unknown[]): DeviceView => toPartialView(ALL_COLUMNS, row) as DeviceView;

/**
 * Devices of one organization by name, filtered, with keyset pagination. With `columns`, only those
 * fields are read (and the key: deviceId, name).
 */
export async function listDevices(
  q: Queryable,
  schema: string,
  filter: DeviceFilter,
): Promise<Page<DeviceView>>;
export async function listDevices(
  q: Queryable,
  schema: string,
  filter: DeviceFilter,
  columns: DeviceColumns,
): Promise<Page<PartialDeviceView>>;
export async function listDevices(
  q: Queryable,
  schema: string,
  filter: DeviceFilter,
  columns: DeviceColumns = ALL_COLUMNS,
): Promise<Page<PartialDeviceView>> {
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
  // The limit is part of the statement's text, not a parameter: with `limit $n` PostgreSQL's
  // generic plan cannot tell a page from the whole table, so it planned every execution anew
  // (0.3-0.4 ms of planning against 0.3 ms of execution, and spikes of 3-5 ms); with a literal it
  // keeps the generic plan from the sixth execution on. `limit` is a clamped integer.
  const fetched = Math.trunc(limit) + 1;
  // The page comes as one JSON text: pg decodes every field of every row on its own (a string and
  // a type parser each, some 450 for a page of 50), which cost the API more than the rest of the
  // request; V8's JSON parser reads the same page in well under half the time. An array of the
  // ordered rows costs PostgreSQL less than json_agg, which sorts its input again.
  const { rows } = await q.query<[string]>({
    ...prepared(
      `select array_to_json(array(select ${columns.jsonRow} from ${quoteIdent(schema)}.devices
     where ${where.join(' and ')} order by name, device_id limit ${fetched}))::text`,
      params,
    ),
    rowMode: 'array',
  });
  const page = JSON.parse(rows[0]![0]) as unknown[][];
  return toPage(
    page.map((row) => fromJsonRow(columns, row)),
    limit,
    (device) => [device.name, device.deviceId],
  );
}

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
