import { useEffect, useMemo, useState } from 'react';
import { Link } from '../../app/router';
import { devicePath } from '../../app/routes';
import { AlertStateBadge, SeverityBadge, StatusBadge } from '../../components/badges';
import { formatTime, fromLocalInput, toLocalInput } from '../../components/format';
import { ErrorState, Loading } from '../../components/states';
import { useQuery } from '../../graphql/use-query';
import { AlertAsOfQuery, AlertsOpenAtQuery, DeviceAsOfQuery } from './audit-documents';
import { stepStop } from './audit-view';

const useSettled = <T,>(value: T, ms: number): T => {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
};

const DeviceAsOf = ({ deviceId, at }: { deviceId: string; at: string }) => {
  const { data, error, loading, refetch } = useQuery(DeviceAsOfQuery, { deviceId, at });
  if (error && !data) return <ErrorState error={error} onRetry={refetch} />;
  if (!data) return loading ? <Loading /> : null;
  const snapshot = data.deviceAsOf;
  if (!snapshot.exists)
    return (
      <div className="dim" data-testid="snapshot-missing">
        The device did not exist yet at that moment.
      </div>
    );
  return (
    <dl
      className="kv"
      data-testid="device-snapshot"
      data-status={snapshot.status ?? 'unknown'}
      aria-busy={loading}
    >
      <dt>Status</dt>
      <dd>{snapshot.status ? <StatusBadge status={snapshot.status} /> : '—'}</dd>
      <dt>Name</dt>
      <dd>{snapshot.name}</dd>
      <dt>Address</dt>
      <dd className="mono">{snapshot.address}</dd>
      <dt>Tags</dt>
      <dd>{snapshot.tags?.join(', ') || '—'}</dd>
      <dt>Lifecycle</dt>
      <dd>{snapshot.lifecycle}</dd>
      <dt>Monitoring</dt>
      <dd>
        {snapshot.monitoringPaused ? 'paused' : 'active'}
        {snapshot.inMaintenance ? ', in maintenance' : ''}
      </dd>
      <dt>Version</dt>
      <dd>
        v{snapshot.version} <span className="dim">as of {formatTime(snapshot.asOf)}</span>
      </dd>
    </dl>
  );
};

const AlertAsOf = ({ alertId, at }: { alertId: string; at: string }) => {
  const { data, error, loading, refetch } = useQuery(AlertAsOfQuery, { alertId, at });
  if (error && !data) return <ErrorState error={error} onRetry={refetch} />;
  if (!data) return loading ? <Loading /> : null;
  const snapshot = data.alertAsOf;
  if (!snapshot.exists)
    return (
      <div className="dim" data-testid="snapshot-missing">
        The alert had not been raised yet at that moment.
      </div>
    );
  return (
    <dl className="kv" data-testid="alert-snapshot" data-state={snapshot.state ?? ''} aria-busy={loading}>
      <dt>State</dt>
      <dd>{snapshot.state ? <AlertStateBadge state={snapshot.state} /> : '—'}</dd>
      <dt>Severity</dt>
      <dd>{snapshot.severity ? <SeverityBadge severity={snapshot.severity} /> : '—'}</dd>
      <dt>Summary</dt>
      <dd>{snapshot.summary ?? '—'}</dd>
      <dt>Repeats</dt>
      <dd>
        {snapshot.count ?? '—'}
        {snapshot.escalationLevel ? ` · escalation L${snapshot.escalationLevel}` : ''}
        {snapshot.suppressed ? ' · suppressed' : ''}
      </dd>
      <dt>Acknowledged by</dt>
      <dd>
        {snapshot.acknowledgedBy ? `${snapshot.acknowledgedBy.kind}:${snapshot.acknowledgedBy.id}` : '—'}
        {snapshot.acknowledgementNote && <q> {snapshot.acknowledgementNote}</q>}
      </dd>
      <dt>Version</dt>
      <dd>
        v{snapshot.version} <span className="dim">as of {formatTime(snapshot.asOf)}</span>
      </dd>
    </dl>
  );
};

const OpenAlertsAt = ({ at }: { at: string }) => {
  const { data, error, loading, refetch } = useQuery(AlertsOpenAtQuery, { at, first: 100, after: null });
  if (error && !data) return <ErrorState error={error} onRetry={refetch} />;
  if (!data) return loading ? <Loading /> : null;
  const { nodes, pageInfo } = data.alertsOpenAt;
  if (nodes.length === 0)
    return (
      <div className="dim" data-testid="open-alerts-at">
        No alert was open.
      </div>
    );
  return (
    <ul className="timeline" data-testid="open-alerts-at" aria-busy={loading}>
      {nodes.map((alert) => (
        <li key={alert.alertId} style={{ gridTemplateColumns: '90px 110px 1fr' }}>
          <span>{alert.severity && <SeverityBadge severity={alert.severity} />}</span>
          <span>{alert.state && <AlertStateBadge state={alert.state} />}</span>
          <span>
            {alert.summary ?? alert.condition ?? alert.alertKey}{' '}
            {alert.deviceId && <Link to={devicePath(alert.deviceId)}>{alert.deviceId}</Link>}
            {alert.acknowledgedBy && (
              <span className="dim"> · acknowledged by {alert.acknowledgedBy.id}</span>
            )}
          </span>
        </li>
      ))}
      {pageInfo.hasNextPage && <li className="dim">…and more (the newest 100 raised are shown)</li>}
    </ul>
  );
};

/**
 * The time-travel control: a slider from just before the entity's first event to now (the event
 * times are its stops), showing the device or alert as it was then and the alerts open then.
 */
export const TimeTravel = ({
  category,
  entityId,
  stops,
  at,
  onMove,
}: Readonly<{
  category: string;
  entityId: string;
  stops: readonly number[];
  at: number;
  onMove: (at: number) => void;
}>) => {
  const now = useMemo(() => Date.now(), []);
  const min = (stops[0] ?? now - 3_600_000) - 60_000;
  const max = Math.max(now, at);
  const settledAt = useSettled(at, 200);
  const iso = new Date(settledAt).toISOString();
  const previous = stepStop(stops, at, -1);
  const next = stepStop(stops, at, 1);
  return (
    <section className="panel time-travel" aria-label="Time travel">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3>Time travel</h3>
        <span className="dim" data-testid="travel-at">
          as of {formatTime(new Date(at).toISOString())}
        </span>
      </div>
      <input
        type="range"
        aria-label="Moment"
        min={min}
        max={max}
        step={1000}
        value={at}
        list="travel-stops"
        onChange={(event) => onMove(Number(event.target.value))}
      />
      <datalist id="travel-stops">
        {stops.map((stop) => (
          <option key={stop} value={stop} />
        ))}
      </datalist>
      <div className="row">
        <button
          type="button"
          disabled={previous === null}
          onClick={() => previous !== null && onMove(previous)}
        >
          ◀ Previous event
        </button>
        <button type="button" disabled={next === null} onClick={() => next !== null && onMove(next)}>
          Next event ▶
        </button>
        <button type="button" onClick={() => onMove(Date.now())}>
          Now
        </button>
        <input
          type="datetime-local"
          aria-label="Moment (date and time)"
          value={toLocalInput(new Date(at))}
          onChange={(event) => {
            const chosen = fromLocalInput(event.target.value);
            if (chosen) onMove(chosen.getTime());
          }}
        />
      </div>
      <div className="grid-2">
        <div className="panel">
          <h3>{category === 'alert' ? 'The alert' : 'The device'} then</h3>
          {category === 'device' ? (
            <DeviceAsOf deviceId={entityId} at={iso} />
          ) : category === 'alert' ? (
            <AlertAsOf alertId={entityId} at={iso} />
          ) : (
            <div className="dim">Snapshots exist for devices and alerts.</div>
          )}
        </div>
        <div className="panel">
          <h3>Alerts open then</h3>
          <OpenAlertsAt at={iso} />
        </div>
      </div>
    </section>
  );
};
