import { useState } from 'react';
import { Link, navigate, useLocation } from '../../app/router';
import { useAuth } from '../../auth/auth-context';
import { SeverityBadge, StatusBadge } from '../../components/badges';
import { formatAge, formatMs, formatPct, formatTime } from '../../components/format';
import { Empty, ErrorState, InlineError, Loading } from '../../components/states';
import { useNow } from '../../components/use-now';
import { useMutation } from '../../graphql/use-mutation';
import { useQuery } from '../../graphql/use-query';
import { useReconnect, useSubscription } from '../../graphql/use-subscription';
import { AlertChangedSubscription } from '../alerts/alert-documents';
import { DeviceFormDialog } from '../fleet/DeviceFormDialog';
import { AvailabilityPanel } from './AvailabilityPanel';
import {
  DeviceDetailQuery,
  DeviceStatusLiveSubscription,
  foldLiveMetrics,
  type InterfaceInfo,
  type LiveMetrics,
  LiveMetricsSubscription,
  PauseMonitoringMutation,
  parseInterfaces,
  ResumeMonitoringMutation,
} from './device-documents';
import { MaintenancePanel } from './MaintenancePanel';
import { DeviceCharts, InterfaceCharts } from './MetricsCharts';
import { StatusTimeline } from './StatusTimeline';
import { parseRange, rangeBounds, rangeMs, timeRanges } from './time-range';

const Stat = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <div className="stat" data-testid={testId}>
    <span className="value">{value}</span>
    <span className="label">{label}</span>
  </div>
);

/** One device: live status and latest values, history, availability, charts, maintenance. */
export const DevicePage = ({ deviceId }: { deviceId: string }) => {
  const { can } = useAuth();
  const location = useLocation();
  const range = parseRange(location.search);
  const minute = useNow(60_000);
  const now = useNow(15_000);
  const { from, to } = rangeBounds(range, minute);
  const { data, error, loading, refetch } = useQuery(DeviceDetailQuery, { deviceId });
  const [live, setLive] = useState<LiveMetrics[]>([]);
  const [interfaces, setInterfaces] = useState<InterfaceInfo[]>([]);
  const [editing, setEditing] = useState(false);
  const [pause, pausing] = useMutation(PauseMonitoringMutation);
  const [resume, resuming] = useMutation(ResumeMonitoringMutation);

  useSubscription(DeviceStatusLiveSubscription, { deviceId }, refetch);
  useSubscription(AlertChangedSubscription, { deviceId }, refetch);
  useSubscription(LiveMetricsSubscription, { deviceId }, ({ deviceMetrics }) => {
    setLive((current) => [...current.slice(-20), deviceMetrics]);
    const seen = parseInterfaces(deviceMetrics.interfaces);
    if (seen.length > 0) setInterfaces(seen);
  });
  useReconnect(refetch);

  if (error && !data) return <ErrorState error={error} onRetry={refetch} title="Could not load the device" />;
  if (!data) return loading ? <Loading label="Loading the device…" /> : null;
  const device = data.device;
  if (!device)
    return (
      <Empty title="No such device">
        <span>
          {deviceId} is not registered (or was decommissioned). <Link to="/">Back to the fleet</Link>
        </span>
      </Empty>
    );

  const latest = live
    .filter(
      (sample) =>
        !device.latest.observedAt || Date.parse(sample.observedAt) > Date.parse(device.latest.observedAt),
    )
    .reduce(foldLiveMetrics, device.latest);
  const probes =
    typeof device.probes === 'object' && device.probes !== null
      ? (device.probes as Record<string, unknown>)
      : {};
  const canWrite = can('device:write');
  const setRange = (id: string) => navigate(`${location.pathname}?range=${id}`, { replace: true });
  const toMs = Date.parse(to);

  return (
    <section
      className="page"
      aria-label={`Device ${device.name}`}
      data-testid="device-page"
      data-status={device.status}
    >
      <div className="page-header">
        <Link to="/">Fleet</Link>
        <span className="dim">/</span>
        <h1>{device.name}</h1>
        <StatusBadge status={device.status} />
        {device.inMaintenance && <span className="badge warn">in maintenance</span>}
        {device.monitoringPaused && <span className="badge">monitoring paused</span>}
        <span className="spacer" />
        {can('audit:read') && (
          <Link to={`/audit?stream=${encodeURIComponent(`device-${device.deviceId}`)}`}>
            History &amp; time travel
          </Link>
        )}
        {canWrite && (
          <>
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            {device.monitoringPaused ? (
              <button
                type="button"
                disabled={resuming.pending}
                onClick={() => resume({ deviceId }).then(refetch, () => undefined)}
              >
                Resume monitoring
              </button>
            ) : (
              <button
                type="button"
                disabled={pausing.pending}
                onClick={() => {
                  const reason = window.prompt('Why pause monitoring? (kept in the audit trail)');
                  if (reason) pause({ deviceId, reason }).then(refetch, () => undefined);
                }}
              >
                Pause monitoring
              </button>
            )}
          </>
        )}
      </div>
      <InlineError error={pausing.error ?? resuming.error ?? (error && data ? error : null)} />
      <div className="grid-2">
        <div className="panel">
          <h3>Device</h3>
          <dl className="kv">
            <dt>Address</dt>
            <dd className="mono">{device.address}</dd>
            <dt>Kind</dt>
            <dd>{device.kind}</dd>
            <dt>Location</dt>
            <dd>{device.location ?? '—'}</dd>
            <dt>Tags</dt>
            <dd>
              {device.tags.length
                ? device.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))
                : '—'}
            </dd>
            <dt>Parent</dt>
            <dd>
              {device.parentId ? (
                <Link to={`/devices/${encodeURIComponent(device.parentId)}`}>{device.parentId}</Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>Status</dt>
            <dd>
              {device.statusReason ?? '—'}{' '}
              <span className="dim">since {formatTime(device.statusChangedAt)}</span>
            </dd>
            <dt>Probes</dt>
            <dd className="mono">
              {['icmp', 'tcp', 'snmp']
                .filter(
                  (kind) =>
                    probes[kind] &&
                    (kind !== 'icmp' || (probes.icmp as { enabled?: boolean }).enabled !== false),
                )
                .join(', ') || 'none'}
            </dd>
          </dl>
        </div>
        <div className="panel">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <h3>Latest</h3>
            <span className="dim">
              observed {formatAge(latest.observedAt, now)}
              {live.length > 0 ? ' · live' : ''}
            </span>
          </div>
          <div className="grid-2">
            <Stat label="round trip" value={formatMs(latest.rttAvgMs)} testId="latest-rtt" />
            <Stat label="packet loss" value={formatPct(latest.lossPct, 0)} />
            <Stat label="CPU" value={formatPct(latest.cpuPct, 0)} />
            <Stat label="memory" value={formatPct(latest.memoryPct, 0)} />
          </div>
          {latest.lastError && <div className="inline-error">last error: {latest.lastError}</div>}
        </div>
      </div>
      <AvailabilityPanel availability={device.availability} />
      {device.activeAlerts.length > 0 && (
        <section className="panel" aria-label="Active alerts">
          <h3>Active alerts</h3>
          {device.activeAlerts.map((alert) => (
            <div key={alert.alertId} className="row">
              <SeverityBadge severity={alert.severity} />
              <span>{alert.summary}</span>
              <span className="dim">
                {alert.state} · raised {formatAge(alert.raisedAt, now)}
                {alert.count > 1 ? ` · ×${alert.count}` : ''}
              </span>
              <Link to="/alerts">open in console</Link>
            </div>
          ))}
        </section>
      )}
      <div className="page-header">
        <h2>History</h2>
        <fieldset className="range-picker" aria-label="Time range">
          {timeRanges.map((item) => (
            <button
              key={item.id}
              type="button"
              aria-pressed={item.id === range}
              onClick={() => setRange(item.id)}
            >
              {item.label}
            </button>
          ))}
        </fieldset>
      </div>
      <StatusTimeline
        changes={device.statusTimeline}
        from={toMs - rangeMs(range)}
        to={Math.min(toMs, now)}
        current={device.status}
      />
      <DeviceCharts deviceId={deviceId} from={from} to={to} />
      <InterfaceCharts
        deviceId={deviceId}
        interfaces={interfaces}
        snmpEnabled={Boolean(probes.snmp)}
        from={from}
        to={to}
      />
      <MaintenancePanel
        deviceId={deviceId}
        windows={device.maintenance}
        version={device.version}
        canWrite={canWrite}
        onChanged={() => setTimeout(refetch, 300)}
      />
      {editing && (
        <DeviceFormDialog
          device={device}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setTimeout(refetch, 300);
          }}
        />
      )}
    </section>
  );
};
