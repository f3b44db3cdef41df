import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { formatTime } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useClient } from '../../graphql/client-context';
import type { GraphQLRequestError } from '../../graphql/errors';
import { EventsQuery, type RecordedEvent } from './audit-documents';

const categories = ['device', 'alert', 'alertrule', 'organization', 'observations', 'traps'] as const;
const PAGE = 100;

/** The global event log in commit order, from the start; each page resumes at the last checkpoint. */
export const EventLogTab = ({ onOpenStream }: { onOpenStream: (streamId: string, at?: string) => void }) => {
  const client = useClient();
  const [selected, setSelected] = useState<string[]>(['device', 'alert', 'alertrule', 'organization']);
  const [events, setEvents] = useState<RecordedEvent[]>([]);
  const [checkpoint, setCheckpoint] = useState<string | null>(null);
  const [caughtUp, setCaughtUp] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const generation = useRef(0);

  const read = useCallback(
    async (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const { events: page } = await client.request(EventsQuery, {
          after,
          categories: selected.length === categories.length ? null : selected,
          first: PAGE,
        });
        if (mine !== generation.current) return;
        setEvents((current) => (after ? [...current, ...page.events] : page.events));
        setCheckpoint(page.checkpoint);
        setCaughtUp(page.caughtUp);
        setError(null);
      } catch (failure) {
        if (mine === generation.current) setError(failure as GraphQLRequestError);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [client, selected],
  );
  useEffect(() => {
    void read(null);
  }, [read]);

  return (
    <section className="panel" aria-label="Event log">
      <div className="row">
        {categories.map((category) => (
          <label key={category} className="check">
            <input
              type="checkbox"
              checked={selected.includes(category)}
              onChange={(event) =>
                setSelected((current) =>
                  event.target.checked ? [...current, category] : current.filter((c) => c !== category),
                )
              }
            />
            {category}
          </label>
        ))}
      </div>
      {error && events.length === 0 ? (
        <ErrorState error={error} onRetry={() => void read(null)} title="Could not load the event log" />
      ) : loading && events.length === 0 ? (
        <Loading label="Loading events…" />
      ) : events.length === 0 ? (
        <Empty title="No events in these categories" />
      ) : (
        <table className="table" data-testid="event-log">
          <thead>
            <tr>
              <th>#</th>
              <th>Recorded</th>
              <th>Type</th>
              <th>Stream</th>
              <th>Actor</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <Fragment key={event.eventId}>
                <tr>
                  <td className="faint mono">{event.globalPosition}</td>
                  <td className="nowrap">{formatTime(event.recordedAt)}</td>
                  <td>{event.type}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => onOpenStream(event.streamId, event.recordedAt)}
                    >
                      {event.streamId}
                    </button>{' '}
                    <span className="faint">v{event.streamVersion}</span>
                  </td>
                  <td className="nowrap">
                    <span className="dim">{event.actor.kind}:</span>
                    {event.actor.id}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="small"
                      onClick={() => setExpanded(expanded === event.eventId ? null : event.eventId)}
                    >
                      {expanded === event.eventId ? 'Hide' : 'Data'}
                    </button>
                  </td>
                </tr>
                {expanded === event.eventId && (
                  <tr>
                    <td colSpan={6}>
                      <pre>{JSON.stringify(event.data, null, 2)}</pre>
                      <div className="dim mono">
                        hash {event.hash} · previous {event.previousHash} · correlation {event.correlationId}
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <div className="row">
        {!caughtUp && events.length > 0 && (
          <button type="button" disabled={loading} onClick={() => void read(checkpoint)}>
            {loading ? 'Loading…' : 'Newer events'}
          </button>
        )}
        {caughtUp && <span className="dim">Up to date with the log as of now.</span>}
      </div>
    </section>
  );
};
