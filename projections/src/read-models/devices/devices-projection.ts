import { type RecordedEvent, streamCategories } from '@netpulse/domain';
import type { ApplyContext, Projection, VersionTables } from '../../runner/projection.js';
import { type Column, type Queryable, upsertRows } from '../../sql/queryable.js';
import { timeText } from '../timestamps.js';
import { type DeviceRow, foldDevice } from './device-row.js';
import { fleetStatuses, fleetSummaryDeltas } from './fleet-summary-delta.js';
import { lastObservations } from './last-observation.js';

const deviceColumns: readonly Column[] = [
  ['device_id', 'text'],
  ['organization_id', 'text'],
  ['name', 'text'],
  ['address', 'text'],
  ['kind', 'text'],
  ['location', 'text'],
  ['tags', 'text[]'],
  ['parent_id', 'text'],
  ['probes', 'jsonb'],
  ['status', 'text'],
  ['status_reason', 'text'],
  ['status_changed_at', 'timestamptz'],
  ['monitoring_paused', 'boolean'],
  ['paused_reason', 'text'],
  ['maintenance', 'jsonb'],
  ['registered_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['decommissioned_at', 'timestamptz'],
  ['decommission_reason', 'text'],
];

const observationColumns: readonly Column[] = [
  ['device_id', 'text'],
  ['organization_id', 'text'],
  ['last_observed_at', 'timestamptz'],
  ['last_probe', 'text'],
  ['reachable', 'boolean'],
  ['last_error', 'text'],
  ['icmp_observed_at', 'timestamptz'],
  ['rtt_avg_ms', 'float8'],
  ['loss_pct', 'float8'],
  ['snmp_observed_at', 'timestamptz'],
  ['cpu_pct', 'float8'],
  ['memory_pct', 'float8'],
];

const timeColumns = new Set(deviceColumns.filter(([, type]) => type === 'timestamptz').map(([name]) => name));
const selectDevice = deviceColumns
  .map(([name]) => (timeColumns.has(name) ? timeText(name) : name))
  .join(', ');

const createStatements = (t: VersionTables): string[] => [
  `create table if not exists ${t.table('devices')} (
    device_id text primary key,
    organization_id text not null,
    name text not null,
    address text not null,
    kind text not null,
    location text,
    tags text[] not null,
    parent_id text,
    probes jsonb,
    status text not null,
    status_reason text,
    status_changed_at timestamptz,
    monitoring_paused boolean not null,
    paused_reason text,
    maintenance jsonb not null,
    registered_at timestamptz not null,
    updated_at timestamptz not null,
    decommissioned_at timestamptz,
    decommission_reason text)`,
  `create index if not exists ${t.name('devices')}_org_idx on ${t.table('devices')} (organization_id, device_id)`,
  `create index if not exists ${t.name('devices')}_tags_idx on ${t.table('devices')} using gin (tags)`,
  // The fleet list pages by name: without this every page sorts the organization's whole fleet.
  `create index if not exists ${t.name('devices')}_org_name_idx on ${t.table('devices')} (organization_id, name, device_id)`,
  `create table if not exists ${t.table('device_observations')} (
    device_id text primary key,
    organization_id text not null,
    last_observed_at timestamptz not null,
    last_probe text not null,
    reachable boolean not null,
    last_error text,
    icmp_observed_at timestamptz,
    rtt_avg_ms float8,
    loss_pct float8,
    snmp_observed_at timestamptz,
    cpu_pct float8,
    memory_pct float8)`,
  `create table if not exists ${t.table('fleet_summary')} (
    organization_id text primary key,
    total integer not null,
    ${fleetStatuses.map((status) => `${status} integer not null`).join(',\n    ')},
    monitoring_paused integer not null)`,
];

const keepUnlessNew = (column: string, stamp: string) =>
  `${column} = case when excluded.${stamp} is null then t.${column} else excluded.${column} end`;

/**
 * Devices (profile, status, maintenance, pause) folded from device events; the newest observation
 * summary per device (status, rtt / loss, cpu / memory); and the fleet summary per organization,
 * kept by difference from the rows a batch changed (see fleet-summary-delta.ts). All in the batch's
 * transaction.
 */
export const devicesProjection = (): Projection => ({
  name: 'devices',
  filter: { categories: [streamCategories.device, streamCategories.observations] },
  createStatements,
  views: (t) => [
    [
      'devices',
      `select d.*, o.last_observed_at, o.last_probe, o.reachable, o.last_error, o.icmp_observed_at,
        o.rtt_avg_ms, o.loss_pct, o.snmp_observed_at, o.cpu_pct, o.memory_pct
       from ${t.table('devices')} d left join ${t.table('device_observations')} o on o.device_id = d.device_id`,
    ],
    ['fleet_summary', `select * from ${t.table('fleet_summary')}`],
  ],
  dropStatements: (t) =>
    ['devices', 'device_observations', 'fleet_summary'].map(
      (base) => `drop table if exists ${t.table(base)}`,
    ),
  apply: async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
    const deviceEvents = events.filter(
      (event) => event.type !== 'DeviceObserved' && event.type !== 'TrapReceived',
    );
    if (deviceEvents.length > 0) await applyDeviceEvents(client, deviceEvents, t);
    const observations = lastObservations(events);
    if (observations.length > 0) {
      await client.query(
        `insert into ${t.table('device_observations')} as t (${observationColumns.map(([name]) => name).join(', ')})
         select ${observationColumns.map(([name]) => name).join(', ')}
         from json_to_recordset($1::json) as r(${observationColumns.map(([name, type]) => `${name} ${type}`).join(', ')})
         on conflict (device_id) do update set
           organization_id = excluded.organization_id,
           last_observed_at = excluded.last_observed_at,
           last_probe = excluded.last_probe,
           reachable = excluded.reachable,
           last_error = excluded.last_error,
           ${keepUnlessNew('rtt_avg_ms', 'icmp_observed_at')},
           ${keepUnlessNew('loss_pct', 'icmp_observed_at')},
           icmp_observed_at = coalesce(excluded.icmp_observed_at, t.icmp_observed_at),
           ${keepUnlessNew('cpu_pct', 'snmp_observed_at')},
           ${keepUnlessNew('memory_pct', 'snmp_observed_at')},
           snmp_observed_at = coalesce(excluded.snmp_observed_at, t.snmp_observed_at)`,
        [JSON.stringify(observations)],
      );
    }
  },
});

/** Load the touched rows, fold the batch's events in order, write the changed rows back. */
const applyDeviceEvents = async (client: Queryable, events: readonly RecordedEvent[], t: ApplyContext) => {
  const ids = [...new Set(events.map((event) => (event.data as { deviceId: string }).deviceId))];
  const { rows } = await client.query<DeviceRow>(
    `select ${selectDevice} from ${t.table('devices')} where device_id = any($1::text[])`,
    [ids],
  );
  const loaded = new Map<string, DeviceRow>(rows.map((row) => [row.device_id, row]));
  const current = new Map<string, DeviceRow | null>(loaded);
  const changed = new Set<string>();
  for (const event of events) {
    const id = (event.data as { deviceId: string }).deviceId;
    const before = current.get(id) ?? null;
    const after = foldDevice(before, event);
    if (after !== before && after) {
      current.set(id, after);
      changed.add(id);
    }
  }
  const upserts = [...changed].map((id) => current.get(id)!);
  await upsertRows(
    client,
    { table: t.table('devices'), columns: deviceColumns, key: ['device_id'] },
    upserts,
  );
  const deltas = fleetSummaryDeltas(
    upserts.map((after) => ({ before: loaded.get(after.device_id) ?? null, after })),
  );
  if (deltas.length === 0) return;
  const counts = ['total', ...fleetStatuses, 'monitoring_paused'];
  await client.query(
    `insert into ${t.table('fleet_summary')} as f (organization_id, ${counts.join(', ')})
     select organization_id, ${counts.join(', ')}
     from json_to_recordset($1::json) as r(organization_id text, ${counts.map((name) => `${name} integer`).join(', ')})
     on conflict (organization_id) do update set
       ${counts.map((name) => `${name} = f.${name} + excluded.${name}`).join(', ')}`,
    [JSON.stringify(deltas)],
  );
};
