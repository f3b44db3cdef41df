import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { formatTime, fromLocalInput } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useClient } from '../../graphql/client-context';
import type { GraphQLRequestError } from '../../graphql/errors';
import { type AuditEntry, type AuditFilterInput, AuditLogQuery } from './audit-documents';

const PAGE = 50;

/** Who did what to which entity, when, with which note: newest first, filterable, paged. */
export const AuditLogTab = ({ onOpenStream }: { onOpenStream: (streamId: string, at?: string) => void }) => {
  const client = useClient();
  const [draft, setDraft] = useState({ actorId: '', action: '', entityId: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilterInput>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const generation = useRef(0);

  const read = useCallback(
    async (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const { auditLog } = await client.request(AuditLogQuery, { filter, first: PAGE, after });
        if (mine !== generation.current) return;
        setEntries((current) => (after ? [...current, ...auditLog.nodes] : auditLog.nodes));
        setCursor(auditLog.pageInfo.endCursor);
        setMore(auditLog.pageInfo.hasNextPage);
        setError(null);
      } catch (failure) {
        if (mine === generation.current) setError(failure as GraphQLRequestError);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [client, filter],
  );
  useEffect(() => {
    void read(null);
  }, [read]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const from = fromLocalInput(draft.from);
    const to = fromLocalInput(draft.to);
    setFilter({
      ...(draft.actorId.trim() && { actorId: draft.actorId.trim() }),
      ...(draft.action.trim() && { action: draft.action.trim() }),
      ...(draft.entityId.trim() && { entityId: draft.entityId.trim() }),
      ...(from && { from: from.toISOString() }),
      ...(to && { to: to.toISOString() }),
    });
  };
  const field = (key: keyof typeof draft) => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [key]: event.target.value })),
  });

  return (
    <section className="panel" aria-label="Audit log">
      <form className="row" onSubmit={apply} aria-label="Filter the audit log">
        <input aria-label="Actor id" placeholder="actor id" {...field('actorId')} />
        <input aria-label="Action" placeholder="action (AlertAcknowledged…)" {...field('action')} />
        <input aria-label="Entity id" placeholder="entity id" {...field('entityId')} />
        <label className="row dim">
          from <input type="datetime-local" aria-label="From" {...field('from')} />
        </label>
        <label className="row dim">
          to <input type="datetime-local" aria-label="To" {...field('to')} />
        </label>
        <button type="submit">Filter</button>
        <button type="button" onClick={() => void read(null)}>
          Refresh
        </button>
      </form>
      {error && entries.length === 0 ? (
        <ErrorState error={error} onRetry={() => void read(null)} title="Could not load the audit log" />
      ) : loading && entries.length === 0 ? (
        <Loading label="Loading the audit log…" />
      ) : entries.length === 0 ? (
        <Empty title="Nothing recorded matches" />
      ) : (
        <table className="table" data-testid="audit-log">
          <thead>
            <tr>
              <th>Time</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Entity</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.eventId} data-action={entry.action}>
                <td className="nowrap">{formatTime(entry.occurredAt)}</td>
                <td className="nowrap">
                  <span className="dim">{entry.actor.kind}:</span>
                  {entry.actor.id}
                </td>
                <td>{entry.action}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => onOpenStream(entry.streamId, entry.occurredAt)}
                  >
                    {entry.entityType} {entry.entityId}
                  </button>{' '}
                  <span className="faint">v{entry.streamVersion}</span>
                </td>
                <td>{entry.note ?? <span className="faint">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" disabled={loading} onClick={() => void read(cursor)}>
          {loading ? 'Loading…' : 'Older entries'}
        </button>
      )}
    </section>
  );
};
