import { formatTime } from '../../components/format';
import { ErrorState, Loading } from '../../components/states';
import { useQuery } from '../../graphql/use-query';
import { AlertTimelineQuery, type TimelineEntry } from './alert-documents';

/** The text an entry carries for a human: its note, reason or text, when there is one. */
export const entryNote = (entry: TimelineEntry): string => {
  const data =
    typeof entry.data === 'object' && entry.data !== null ? (entry.data as Record<string, unknown>) : {};
  for (const key of ['note', 'text', 'reason', 'summary'])
    if (typeof data[key] === 'string' && data[key]) return data[key] as string;
  if (typeof data.level === 'number') return `level ${data.level}`;
  return '';
};

/** Every change of one alert with actor and note, oldest first (remount with a new key to re-read). */
export const AlertTimeline = ({ alertId }: { alertId: string }) => {
  const { data, error, loading, refetch } = useQuery(AlertTimelineQuery, { alertId });
  if (error && !data) return <ErrorState error={error} onRetry={refetch} />;
  if (!data) return loading ? <Loading label="Loading the history…" /> : null;
  const entries = data.alert?.timeline ?? [];
  if (entries.length === 0) return <div className="dim">No history recorded.</div>;
  return (
    <ol className="timeline" aria-label="Alert history">
      {entries.map((entry) => (
        <li key={entry.eventId}>
          <span className="dim nowrap">{formatTime(entry.at)}</span>
          <span>
            <strong>{entry.type.replace(/^Alert/, '')}</strong>{' '}
            <span className="dim">
              by {entry.actor.kind}:{entry.actor.id}
            </span>
          </span>
          <span>{entryNote(entry)}</span>
        </li>
      ))}
    </ol>
  );
};
