import { formatDuration } from '../../components/format';
import type { Availability } from './device-documents';

const windows = ['24h', '7d', '30d'] as const;

/** Availability, downtime, outages and MTTR over the last 24 h, 7 d and 30 d. */
export const AvailabilityPanel = ({ availability }: { availability: readonly Availability[] }) => (
  <section className="panel" aria-label="Availability">
    <h3>Availability</h3>
    <div className="grid-3">
      {windows.map((window) => {
        const entry = availability.find((item) => item.window === window);
        const pct = entry?.availabilityPct;
        return (
          <div key={window} className="stat" data-testid={`availability-${window}`}>
            <span className="label">{window}</span>
            <span
              className="value"
              style={{
                color:
                  pct === null || pct === undefined
                    ? 'var(--text-dim)'
                    : pct >= 99.9
                      ? 'var(--status-up)'
                      : pct >= 99
                        ? 'var(--status-degraded)'
                        : 'var(--status-down)',
              }}
            >
              {pct === null || pct === undefined ? '—' : `${pct.toFixed(pct >= 99.995 ? 0 : 3)} %`}
            </span>
            <span className="label">
              {entry
                ? `${entry.outages} outage${entry.outages === 1 ? '' : 's'} · down ${formatDuration(entry.downtimeSeconds)}${entry.mttrSeconds ? ` · MTTR ${formatDuration(entry.mttrSeconds)}` : ''}`
                : 'not monitored yet'}
            </span>
          </div>
        );
      })}
    </div>
  </section>
);
