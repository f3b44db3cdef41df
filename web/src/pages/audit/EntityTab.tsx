import { type FormEvent, useEffect, useState } from 'react';
import { formatTime } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useQuery } from '../../graphql/use-query';
import { VerifyStreamQuery } from './audit-documents';
import { alertInstanceAt, noteOf, splitStream, travelStops } from './audit-view';
import { TimeTravel } from './TimeTravel';
import { useStreamHistory } from './use-stream-history';

const Verify = ({ streamId }: { streamId: string }) => {
  const { data, error, loading, refetch } = useQuery(VerifyStreamQuery, { streamId });
  return (
    <section className="panel" aria-label="Hash chain verification" data-testid="verify">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3>Hash chain</h3>
        <button type="button" className="small" onClick={refetch} disabled={loading}>
          Verify again
        </button>
      </div>
      {error ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : !data ? (
        <Loading label="Verifying…" />
      ) : data.verifyStream.ok ? (
        <div>
          <span className="verify-ok" data-testid="verify-ok">
            ✔ intact
          </span>{' '}
          <span className="dim">
            {data.verifyStream.eventsChecked} events checked: every hash chains to the one before.
          </span>
        </div>
      ) : (
        <div>
          <span className="verify-bad" data-testid="verify-broken">
            ✘ broken at version {data.verifyStream.brokenAtVersion ?? '?'}
          </span>{' '}
          <span>{data.verifyStream.reason}</span>{' '}
          <span className="dim">({data.verifyStream.eventsChecked} events checked)</span>
        </div>
      )}
    </section>
  );
};

/** One entity's stream: its full history with actor and note, tamper check, and time travel. */
export const EntityTab = ({
  streamId,
  at,
  onChange,
}: Readonly<{
  streamId: string;
  at: string | null;
  onChange: (streamId: string, at: string | null) => void;
}>) => {
  const [draft, setDraft] = useState(streamId);
  useEffect(() => setDraft(streamId), [streamId]);
  const { events, currentVersion, error, loading, truncated, reload: refetch } = useStreamHistory(streamId);
  const { category, id } = splitStream(streamId);
  const stops = travelStops(events.map((event) => event.recordedAt));
  const atMs = at ? Date.parse(at) : Date.now();

  const open = (event: FormEvent) => {
    event.preventDefault();
    const value = draft.trim();
    if (value) onChange(value, null);
  };

  return (
    <div className="page" style={{ minHeight: 0 }}>
      <form className="row" onSubmit={open} aria-label="Open a stream">
        <input
          aria-label="Stream id"
          placeholder="device-<id> or alert-<id>"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          style={{ width: 420 }}
        />
        <button type="submit">Open</button>
        {streamId && (
          <button type="button" onClick={refetch}>
            Refresh
          </button>
        )}
      </form>
      {!streamId ? (
        <Empty title="Pick an entity">
          Open a stream by id, or click an entity in the audit or event log.
        </Empty>
      ) : error && events.length === 0 ? (
        <ErrorState error={error} onRetry={refetch} title={`Could not read ${streamId}`} />
      ) : loading && events.length === 0 ? (
        <Loading label="Reading the history…" />
      ) : events.length === 0 ? (
        <Empty title={`${streamId} has no events`}>
          Check the id: streams are named category-id (device-…, alert-…).
        </Empty>
      ) : (
        <>
          <Verify streamId={streamId} />
          <TimeTravel
            category={category}
            entityId={category === 'alert' ? (alertInstanceAt(events, atMs) ?? id) : id}
            stops={stops}
            at={atMs}
            onMove={(next) => onChange(streamId, new Date(next).toISOString())}
          />
          <section className="panel" aria-label="History">
            <h3>
              History of <span style={{ textTransform: 'none' }}>{streamId}</span>{' '}
              <span className="faint">(version {currentVersion ?? '—'})</span>
            </h3>
            <table className="table" data-testid="stream-history">
              <thead>
                <tr>
                  <th>v</th>
                  <th>Time</th>
                  <th>Event</th>
                  <th>Actor</th>
                  <th>Note</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <tr
                    key={event.eventId}
                    data-type={event.type}
                    style={Date.parse(event.recordedAt) > atMs ? { opacity: 0.45 } : undefined}
                  >
                    <td className="mono">{event.streamVersion}</td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="link"
                        onClick={() => onChange(streamId, event.recordedAt)}
                      >
                        {formatTime(event.recordedAt)}
                      </button>
                    </td>
                    <td>{event.type}</td>
                    <td className="nowrap">
                      <span className="dim">{event.actor.kind}:</span>
                      {event.actor.id}
                    </td>
                    <td>{noteOf(event.data) ?? <span className="faint">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {truncated && <div className="dim">Showing the first {events.length} events.</div>}
          </section>
        </>
      )}
    </div>
  );
};
