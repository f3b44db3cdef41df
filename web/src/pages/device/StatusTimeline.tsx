import { StatusBadge } from '../../components/badges';
import { formatDuration, formatTime } from '../../components/format';
import type { DeviceStatus } from '../../graphql/schema-types';
import { type StatusChange, statusSegments } from './status-segments';

/** The window as a coloured bar (one segment per status held), then the changes, newest first. */
export const StatusTimeline = ({
  changes,
  from,
  to,
  current,
}: Readonly<{ changes: readonly StatusChange[]; from: number; to: number; current: DeviceStatus }>) => {
  const segments = statusSegments(changes, from, to, current);
  const span = Math.max(1, to - from);
  return (
    <section className="panel" aria-label="Status timeline">
      <h3>Status timeline</h3>
      <div className="status-bar" data-testid="status-bar">
        {segments.map((segment) => (
          <span
            key={segment.start}
            data-status={segment.status}
            style={{ width: `${((segment.end - segment.start) / span) * 100}%` }}
            title={`${segment.status} ${formatTime(new Date(segment.start).toISOString())} – ${formatTime(new Date(segment.end).toISOString())} (${formatDuration((segment.end - segment.start) / 1000)})`}
          />
        ))}
      </div>
      <div className="row dim" style={{ justifyContent: 'space-between', fontSize: 12 }}>
        <span>{formatTime(new Date(from).toISOString())}</span>
        <span>now</span>
      </div>
      {changes.length === 0 ? (
        <div className="dim">No status change recorded yet.</div>
      ) : (
        <ol className="timeline" style={{ maxHeight: 220, overflow: 'auto' }}>
          {changes.map((change) => (
            <li key={`${change.at}-${change.to}`}>
              <span className="dim nowrap">{formatTime(change.at)}</span>
              <span className="row">
                {change.from ? <StatusBadge status={change.from} /> : <span className="dim">registered</span>}{' '}
                → <StatusBadge status={change.to} />
              </span>
              <span className="dim">{change.reason}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
