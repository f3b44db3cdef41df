import { useCallback, useMemo, useState } from 'react';
import { navigate, useLocation } from '../../app/router';
import { matchRoute } from '../../app/routes';
import { useAuth } from '../../auth/auth-context';
import { Empty, ErrorState, InlineError, Loading } from '../../components/states';
import { useNow } from '../../components/use-now';
import type { DeviceStatus } from '../../graphql/schema-types';
import { DeviceFormDialog } from './DeviceFormDialog';
import { DeviceGrid } from './DeviceGrid';
import { FleetFilters } from './FleetFilters';
import type { FleetDevice } from './fleet-device';
import {
  countByStatus,
  type FleetFilter,
  formatFleetFilter,
  isFiltered,
  parseFleetFilter,
  selectDevices,
} from './fleet-filter';
import { StatusCounts } from './StatusCounts';
import { useFleet } from './use-fleet';

/** Every device with its live status; filters live in the URL. */
export const FleetPage = () => {
  const { can } = useAuth();
  const location = useLocation();
  const filter = useMemo(() => parseFleetFilter(location.search), [location.search]);
  const { store, version, load, summary, liveError, reload, refreshDevice } = useFleet();
  const now = useNow();
  const [editing, setEditing] = useState<FleetDevice | 'new' | null>(null);

  // A debounced filter change may land after a click left the page: it must not pull the user back.
  const setFilter = useCallback((next: FleetFilter) => {
    if (matchRoute(window.location.pathname).page !== 'fleet') return;
    navigate(`${window.location.pathname}${formatFleetFilter(next)}`, { replace: true });
  }, []);
  const toggleStatus = (status: DeviceStatus) =>
    setFilter({
      ...filter,
      status: filter.status.includes(status)
        ? filter.status.filter((s) => s !== status)
        : [...filter.status, status],
    });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes whenever the store does.
  const { rows, loadedCounts, locations, tags } = useMemo(() => {
    const all = [...store.values()];
    const locationSet = new Set<string>();
    const tagSet = new Set<string>();
    for (const device of all) {
      if (device.location) locationSet.add(device.location);
      for (const tag of device.tags) tagSet.add(tag);
    }
    return {
      rows: selectDevices(all, filter),
      loadedCounts: countByStatus(all),
      locations: [...locationSet].sort(),
      tags: [...tagSet].sort(),
    };
  }, [store, version, filter]);

  const canWrite = can('device:write');
  const onEdit = useCallback((device: FleetDevice) => setEditing(device), []);

  return (
    <section className="page page-fill" aria-label="Fleet">
      <div className="page-header">
        <h1>Fleet</h1>
        <StatusCounts
          summary={summary}
          loaded={loadedCounts}
          selected={filter.status}
          onToggle={toggleStatus}
        />
        <span className="spacer" />
        {canWrite && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Register device
          </button>
        )}
      </div>
      <div className="page-header">
        <FleetFilters filter={filter} locations={locations} tags={tags} onChange={setFilter} />
        <span className="spacer" />
        <span className="dim" data-testid="fleet-shown">
          {rows.length.toLocaleString('en-US')} shown
          {load.phase === 'partial' &&
            ` · loading ${store.size.toLocaleString('en-US')}${summary ? ` of ${summary.total.toLocaleString('en-US')}` : ''}…`}
        </span>
        {isFiltered(filter) && (
          <button
            type="button"
            className="small"
            onClick={() => setFilter({ ...filter, status: [], tags: [], location: '', text: '' })}
          >
            Clear filters
          </button>
        )}
      </div>
      {liveError && <InlineError error={liveError} />}
      {load.phase !== 'error' && load.error && <InlineError error={load.error} />}
      {load.phase === 'loading' ? (
        <Loading label="Loading the fleet…" />
      ) : load.phase === 'error' ? (
        <ErrorState error={load.error} onRetry={() => void reload()} title="Could not load the fleet" />
      ) : store.size === 0 && load.phase === 'complete' ? (
        <Empty title="No devices yet">
          {canWrite
            ? 'Register the first device to start monitoring.'
            : 'Devices appear here once they are registered.'}
        </Empty>
      ) : rows.length === 0 && load.phase === 'complete' ? (
        <Empty title="No device matches these filters">
          <button
            type="button"
            onClick={() => setFilter({ ...filter, status: [], tags: [], location: '', text: '' })}
          >
            Clear filters
          </button>
        </Empty>
      ) : (
        <DeviceGrid
          rows={rows}
          now={now}
          canEdit={canWrite}
          onEdit={onEdit}
          ready={load.phase === 'complete' ? 'complete' : 'partial'}
        />
      )}
      {editing && (
        <DeviceFormDialog
          device={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(deviceId, written) => {
            setEditing(null);
            void refreshDevice(deviceId, written);
          }}
        />
      )}
    </section>
  );
};
