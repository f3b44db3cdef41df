import { type DeviceStatus, deviceStatuses } from '../../graphql/schema-types';
import type { FleetSummary } from './fleet-documents';

const order: readonly DeviceStatus[] = ['down', 'unreachable', 'degraded', 'unknown', 'up'];

/**
 * Counts by status for the organization (the live fleetSummary, else what is loaded); each is a
 * toggle for the status filter.
 */
export const StatusCounts = ({
  summary,
  loaded,
  selected,
  onToggle,
}: Readonly<{
  summary: FleetSummary | null;
  loaded: Record<DeviceStatus, number>;
  selected: readonly DeviceStatus[];
  onToggle: (status: DeviceStatus) => void;
}>) => (
  <fieldset className="chips" aria-label="Devices by status">
    {order
      .filter((status) => deviceStatuses.includes(status))
      .map((status) => (
        <button
          type="button"
          key={status}
          className="chip"
          aria-pressed={selected.includes(status)}
          data-status={status}
          data-testid={`count-${status}`}
          onClick={() => onToggle(status)}
        >
          <span className="status" data-status={status}>
            {status}
          </span>
          <span className="count">
            {(summary ? summary[status] : loaded[status]).toLocaleString('en-US')}
          </span>
        </button>
      ))}
    {summary && (
      <span className="chip" aria-disabled="true" style={{ cursor: 'default' }}>
        total <span className="count">{summary.total.toLocaleString('en-US')}</span>
        {summary.inMaintenance > 0 && <span className="dim">· {summary.inMaintenance} in maintenance</span>}
        {summary.monitoringPaused > 0 && <span className="dim">· {summary.monitoringPaused} paused</span>}
      </span>
    )}
  </fieldset>
);
