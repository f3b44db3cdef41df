import { type ReactNode, useMemo, useState } from 'react';
import { formatBps, formatMs, formatPct } from '../../components/format';
import { ErrorState, Loading } from '../../components/states';
import { type ChartSeries, TimeSeriesChart } from '../../components/TimeSeriesChart';
import { useQuery } from '../../graphql/use-query';
import { alignSeries } from './chart-data';
import {
  DeviceSeriesQuery,
  type InterfaceInfo,
  InterfaceSeriesQuery,
  type Resolution,
} from './device-documents';

const tierLabel: Record<Resolution, string> = {
  auto: 'auto',
  raw: 'raw samples',
  oneMinute: '1-minute rollup',
  oneHour: '1-hour rollup',
};

const rttLoss: readonly ChartSeries[] = [
  { label: 'RTT', color: 'var(--accent)', scale: 'y', format: (v) => formatMs(v) },
  { label: 'Loss', color: 'var(--status-down)', scale: 'y2', format: (v) => formatPct(v, 0) },
];
const cpuMemory: readonly ChartSeries[] = [
  { label: 'CPU', color: 'var(--status-degraded)', format: (v) => formatPct(v, 0) },
  { label: 'Memory', color: 'var(--status-unreachable)', format: (v) => formatPct(v, 0) },
];
const traffic: readonly ChartSeries[] = [
  { label: 'In', color: 'var(--status-up)', format: formatBps },
  { label: 'Out', color: 'var(--accent)', format: formatBps },
];

const ChartPanel = ({
  title,
  tier,
  empty,
  children,
}: {
  title: string;
  tier?: Resolution;
  empty: boolean;
  children: ReactNode;
}) => (
  <div className="panel">
    <div className="row" style={{ justifyContent: 'space-between' }}>
      <h3>{title}</h3>
      {tier && <span className="badge">{tierLabel[tier]}</span>}
    </div>
    {empty ? <div className="state">No samples in this range.</div> : children}
  </div>
);

/** rtt / loss and CPU / memory over the chosen range, from the tier the API picks for it. */
export const DeviceCharts = ({
  deviceId,
  from,
  to,
}: Readonly<{ deviceId: string; from: string; to: string }>) => {
  const { data, error, loading, refetch } = useQuery(DeviceSeriesQuery, { deviceId, from, to });
  const rttData = useMemo(() => (data ? alignSeries([data.rtt.points, data.loss.points]) : null), [data]);
  const cpuData = useMemo(() => (data ? alignSeries([data.cpu.points, data.memory.points]) : null), [data]);
  if (error && !data)
    return <ErrorState error={error} onRetry={refetch} title="Could not load the metrics" />;
  if (!data || !rttData || !cpuData) return loading ? <Loading label="Loading metrics…" /> : null;
  return (
    <div className="grid-2">
      <ChartPanel title="Round trip and loss" tier={data.rtt.resolution} empty={rttData[0].length === 0}>
        <TimeSeriesChart title="Round trip time and packet loss" series={rttLoss} data={rttData} />
      </ChartPanel>
      <ChartPanel title="CPU and memory" tier={data.cpu.resolution} empty={cpuData[0].length === 0}>
        <TimeSeriesChart title="CPU and memory utilisation" series={cpuMemory} data={cpuData} />
      </ChartPanel>
    </div>
  );
};

const InterfaceChart = ({
  deviceId,
  iface,
  from,
  to,
}: Readonly<{ deviceId: string; iface: InterfaceInfo; from: string; to: string }>) => {
  const { data, error, refetch } = useQuery(InterfaceSeriesQuery, {
    deviceId,
    ifIndex: iface.ifIndex,
    from,
    to,
  });
  const aligned = useMemo(() => (data ? alignSeries([data.inBps.points, data.outBps.points]) : null), [data]);
  const title = `${iface.name} (ifIndex ${iface.ifIndex})`;
  if (error && !data)
    return (
      <div className="panel">
        <h3>{title}</h3>
        <ErrorState error={error} onRetry={refetch} />
      </div>
    );
  return (
    <ChartPanel
      title={title}
      tier={data?.inBps.resolution}
      empty={aligned !== null && aligned[0].length === 0}
    >
      {aligned ? (
        <TimeSeriesChart title={`Traffic of ${title}`} series={traffic} data={aligned} height={180} />
      ) : (
        <Loading />
      )}
    </ChartPanel>
  );
};

/** One traffic chart per interface; interfaces are named by the live SNMP samples (or typed in). */
export const InterfaceCharts = ({
  deviceId,
  interfaces,
  snmpEnabled,
  from,
  to,
}: Readonly<{
  deviceId: string;
  interfaces: readonly InterfaceInfo[];
  snmpEnabled: boolean;
  from: string;
  to: string;
}>) => {
  const [extra, setExtra] = useState<InterfaceInfo[]>([]);
  const [typed, setTyped] = useState('');
  const all = [...interfaces, ...extra.filter((e) => !interfaces.some((i) => i.ifIndex === e.ifIndex))];
  return (
    <section className="panel" aria-label="Interface traffic">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3>Interface traffic</h3>
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            const ifIndex = Number(typed);
            if (Number.isInteger(ifIndex) && ifIndex >= 0)
              setExtra((current) => [
                ...current,
                { ifIndex, name: `if${ifIndex}`, inBps: null, outBps: null },
              ]);
            setTyped('');
          }}
        >
          <input
            aria-label="ifIndex"
            placeholder="ifIndex"
            size={6}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit" className="small">
            Add chart
          </button>
        </form>
      </div>
      {all.length === 0 ? (
        <div className="state">
          {snmpEnabled
            ? 'Waiting for the next SNMP poll to list this device’s interfaces…'
            : 'Interface traffic, CPU and memory come from the SNMP probe, which is not enabled for this device.'}
        </div>
      ) : (
        <div className="grid-2">
          {all.map((iface) => (
            <InterfaceChart key={iface.ifIndex} deviceId={deviceId} iface={iface} from={from} to={to} />
          ))}
        </div>
      )}
    </section>
  );
};
