import { type DeviceStatus, deviceStatuses, isDeviceStatus } from '../../graphql/schema-types';
import type { FleetDevice } from './fleet-device';

export type FleetSort = 'status' | 'name';

/** What the operator narrowed the fleet to; kept in the URL so a view can be shared or pinned. */
export type FleetFilter = Readonly<{
  status: readonly DeviceStatus[];
  /** Devices carrying every one of these tags. */
  tags: readonly string[];
  /** Exact location (case-insensitive); empty = any. */
  location: string;
  /** Case-insensitive substring of name or address. */
  text: string;
  sort: FleetSort;
}>;

export const emptyFleetFilter: FleetFilter = { status: [], tags: [], location: '', text: '', sort: 'status' };

const list = (value: string | null): string[] =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

/** `?status=down,unreachable&tags=core,edge&location=AMS1&q=rtr&sort=name` → filter; unknown values drop. */
export const parseFleetFilter = (search: string): FleetFilter => {
  const params = new URLSearchParams(search);
  const status = [...new Set(list(params.get('status')).filter(isDeviceStatus))];
  status.sort((a, b) => deviceStatuses.indexOf(a) - deviceStatuses.indexOf(b));
  return {
    status,
    tags: [...new Set(list(params.get('tags')).map((tag) => tag.toLowerCase()))],
    location: (params.get('location') ?? '').trim(),
    text: (params.get('q') ?? '').trim(),
    sort: params.get('sort') === 'name' ? 'name' : 'status',
  };
};

/** The query string for a filter ('' for none), stable in order so equal filters give equal URLs. */
export const formatFleetFilter = (filter: FleetFilter): string => {
  const params = new URLSearchParams();
  if (filter.status.length > 0)
    params.set(
      'status',
      [...filter.status].sort((a, b) => deviceStatuses.indexOf(a) - deviceStatuses.indexOf(b)).join(','),
    );
  if (filter.tags.length > 0) params.set('tags', filter.tags.join(','));
  if (filter.location) params.set('location', filter.location);
  if (filter.text) params.set('q', filter.text);
  if (filter.sort !== 'status') params.set('sort', filter.sort);
  const query = params.toString();
  return query ? `?${query}` : '';
};

export const isFiltered = (filter: FleetFilter): boolean =>
  filter.status.length > 0 || filter.tags.length > 0 || filter.location !== '' || filter.text !== '';

/** A predicate for the filter, built once per filter change and run on every device. */
export const fleetPredicate = (filter: FleetFilter): ((device: FleetDevice) => boolean) => {
  const statuses = new Set<string>(filter.status);
  const location = filter.location.toLowerCase();
  const text = filter.text.toLowerCase();
  return (device) =>
    (statuses.size === 0 || statuses.has(device.status)) &&
    filter.tags.every((tag) => device.tags.includes(tag)) &&
    (location === '' || (device.location ?? '').toLowerCase() === location) &&
    (text === '' || device.name.toLowerCase().includes(text) || device.address.toLowerCase().includes(text));
};

/** Worst first: what needs eyes is at the top of the wall. */
const statusRank: Record<DeviceStatus, number> = { down: 0, unreachable: 1, degraded: 2, unknown: 3, up: 4 };

const collator = new Intl.Collator('en', { numeric: true });
const byName = (a: FleetDevice, b: FleetDevice): number =>
  collator.compare(a.name, b.name) || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0);

export const compareDevices = (sort: FleetSort) =>
  sort === 'name'
    ? byName
    : (a: FleetDevice, b: FleetDevice): number => statusRank[a.status] - statusRank[b.status] || byName(a, b);

/** The rows to show: filtered, then sorted. */
export const selectDevices = (devices: Iterable<FleetDevice>, filter: FleetFilter): FleetDevice[] => {
  const keep = fleetPredicate(filter);
  const rows: FleetDevice[] = [];
  for (const device of devices) if (keep(device)) rows.push(device);
  return rows.sort(compareDevices(filter.sort));
};

/** Counts by status of a set of devices (the loaded or the filtered ones). */
export const countByStatus = (devices: Iterable<FleetDevice>): Record<DeviceStatus, number> => {
  const counts: Record<DeviceStatus, number> = { unknown: 0, up: 0, degraded: 0, down: 0, unreachable: 0 };
  for (const device of devices) counts[device.status] += 1;
  return counts;
};
