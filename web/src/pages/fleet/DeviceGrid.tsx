import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef } from 'react';
import { Link } from '../../app/router';
import { devicePath } from '../../app/routes';
import { StatusBadge } from '../../components/badges';
import { formatAge, formatMs, formatPct } from '../../components/format';
import type { FleetDevice } from './fleet-device';

const ROW_HEIGHT = 36;
const estimateSize = () => ROW_HEIGHT;

type RowProps = Readonly<{
  device: FleetDevice;
  start: number;
  now: number;
  canEdit: boolean;
  onEdit: (device: FleetDevice) => void;
}>;

const DeviceRow = memo(({ device, start, now, canEdit, onEdit }: RowProps) => (
  <div
    className="vgrid-row"
    role="row"
    data-device-id={device.deviceId}
    data-status={device.status}
    style={{ transform: `translateY(${start}px)` }}
  >
    <span role="cell" title={device.statusReason ?? undefined}>
      <StatusBadge status={device.status} />
    </span>
    <span role="cell">
      <Link to={devicePath(device.deviceId)}>{device.name}</Link>
      {device.inMaintenance && <span className="badge warn"> maint.</span>}
      {device.monitoringPaused && <span className="badge"> paused</span>}
    </span>
    <span role="cell" className="mono">
      {device.address}
    </span>
    <span role="cell" className="col-kind dim">
      {device.kind}
    </span>
    <span role="cell">{device.location ?? <span className="faint">—</span>}</span>
    <span role="cell" className="col-tags">
      {device.tags.map((tag) => (
        <span key={tag} className="tag">
          {tag}
        </span>
      ))}
    </span>
    <span role="cell" className="num">
      {formatMs(device.latest.rttAvgMs)}
    </span>
    <span role="cell" className="num col-loss">
      {formatPct(device.latest.lossPct, 0)}
    </span>
    <span role="cell" className="dim" title={device.statusChangedAt ?? undefined}>
      {formatAge(device.statusChangedAt, now)}
    </span>
    <span role="cell">
      {canEdit && (
        <button
          type="button"
          className="small"
          onClick={() => onEdit(device)}
          aria-label={`Edit ${device.name}`}
        >
          Edit
        </button>
      )}
    </span>
  </div>
));

/** The fleet as one scrolling list; only the rows in view (plus a margin) exist in the DOM. */
export const DeviceGrid = ({
  rows,
  now,
  canEdit,
  onEdit,
  ready,
}: Readonly<{
  rows: readonly FleetDevice[];
  now: number;
  canEdit: boolean;
  onEdit: (device: FleetDevice) => void;
  /** 'partial' while pages are still arriving, 'complete' after. */
  ready: 'partial' | 'complete';
}>) => {
  const scroller = useRef<HTMLDivElement>(null);
  // Stable callbacks: a new getItemKey or estimateSize makes the virtualizer re-measure every row.
  const getItemKey = useCallback((index: number) => rows[index]?.deviceId ?? index, [rows]);
  const getScrollElement = useCallback(() => scroller.current, []);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    overscan: 6,
    getItemKey,
    useFlushSync: false,
  });
  return (
    <div
      className="fleet-grid fleet-table panel"
      role="table"
      aria-label="Devices"
      aria-rowcount={rows.length}
    >
      <div className="vgrid-head" role="row">
        <span role="columnheader">Status</span>
        <span role="columnheader">Name</span>
        <span role="columnheader">Address</span>
        <span role="columnheader" className="col-kind">
          Kind
        </span>
        <span role="columnheader">Location</span>
        <span role="columnheader" className="col-tags">
          Tags
        </span>
        <span role="columnheader" className="num">
          RTT
        </span>
        <span role="columnheader" className="num col-loss">
          Loss
        </span>
        <span role="columnheader">Since</span>
        <span role="columnheader" />
      </div>
      <div ref={scroller} className="vgrid-body" data-testid="fleet-rows" data-ready={ready}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const device = rows[item.index];
            return device ? (
              <DeviceRow
                key={item.key}
                device={device}
                start={item.start}
                now={now}
                canEdit={canEdit}
                onEdit={onEdit}
              />
            ) : null;
          })}
        </div>
      </div>
    </div>
  );
};
