import { useState } from 'react';
import { formatTime } from '../../components/format';
import { InlineError } from '../../components/states';
import { useSubscription } from '../../graphql/use-subscription';
import { EventFeedSubscription, type FeedEvent } from './integration-documents';

const KEEP = 50;

/** Runs the resumable `events` subscription from a checkpoint ('start', a saved one, or live only). */
export const EventFeedDemo = () => {
  const [from, setFrom] = useState('');
  const [running, setRunning] = useState<{ after: string | null } | null>(null);
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const last = events.at(-1);
  const error = useSubscription(
    EventFeedSubscription,
    { after: running?.after ?? null, categories: ['device', 'alert', 'alertrule', 'organization'] },
    ({ events: event }) => setEvents((current) => [...current.slice(-(KEEP - 1)), event]),
    // Resuming is the user's move (from the last checkpoint), so no automatic second attempt.
    { skip: running === null, retry: false },
  );
  return (
    <section className="panel" aria-label="Try the event feed">
      <h3>Try it</h3>
      <div className="row">
        <input
          aria-label="Resume from checkpoint"
          placeholder="checkpoint (empty = live only, 'start' = everything)"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          style={{ width: 420 }}
        />
        {running ? (
          <button type="button" onClick={() => setRunning(null)}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setEvents([]);
              setRunning({ after: from.trim() || null });
            }}
          >
            Subscribe
          </button>
        )}
        {last && (!running || error) && (
          <button
            type="button"
            onClick={() => {
              setFrom(last.checkpoint);
              setRunning({ after: last.checkpoint });
            }}
          >
            Resume after the last checkpoint
          </button>
        )}
      </div>
      <InlineError error={error} />
      {events.length === 0 ? (
        <div className="dim">{running ? 'Waiting for events…' : 'Not subscribed.'}</div>
      ) : (
        <table className="table" data-testid="feed">
          <thead>
            <tr>
              <th>Recorded</th>
              <th>Type</th>
              <th>Stream</th>
              <th>Checkpoint</th>
            </tr>
          </thead>
          <tbody>
            {[...events].reverse().map((event) => (
              <tr key={event.checkpoint}>
                <td className="nowrap">{formatTime(event.recordedAt)}</td>
                <td>{event.type}</td>
                <td>
                  {event.streamId} <span className="faint">v{event.streamVersion}</span>
                </td>
                <td className="mono">{event.checkpoint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
