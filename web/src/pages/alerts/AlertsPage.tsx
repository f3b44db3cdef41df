import { useCallback, useMemo, useState } from 'react';
import { navigate, useLocation } from '../../app/router';
import { useAuth } from '../../auth/auth-context';
import { SeverityBadge } from '../../components/badges';
import { Empty, ErrorState, InlineError, Loading } from '../../components/states';
import { useNow } from '../../components/use-now';
import { useClient } from '../../graphql/client-context';
import { severities } from '../../graphql/schema-types';
import { type AlertAction, AlertCard } from './AlertCard';
import {
  AcknowledgeAlertMutation,
  AddAlertNoteMutation,
  type ConsoleAlert,
  ResolveAlertMutation,
  UnacknowledgeAlertMutation,
} from './alert-documents';
import { type AlertView, countBySeverity, formatAlertView, parseAlertView, sortAlerts } from './alert-order';
import { NoteDialog } from './NoteDialog';
import { useAlerts } from './use-alerts';

const views: readonly { view: AlertView; label: string }[] = [
  { view: 'active', label: 'Active' },
  { view: 'open', label: 'Open' },
  { view: 'acknowledged', label: 'Acknowledged' },
  { view: 'resolved', label: 'Resolved' },
];

const dialogs: Record<AlertAction, { title: string; action: string; noteRequired: boolean }> = {
  acknowledge: { title: 'Acknowledge alert', action: 'Acknowledge', noteRequired: false },
  unacknowledge: { title: 'Unacknowledge alert', action: 'Unacknowledge', noteRequired: false },
  resolve: { title: 'Resolve alert', action: 'Resolve', noteRequired: false },
  note: { title: 'Add a note', action: 'Add note', noteRequired: true },
};

/** Open alerts, most severe and oldest first, live; acknowledge, resolve and annotate them. */
export const AlertsPage = () => {
  const client = useClient();
  const { can } = useAuth();
  const location = useLocation();
  const { view, age } = parseAlertView(location.search);
  const { alerts, loading, error, liveError, truncated, reload, refresh } = useAlerts(view);
  const now = useNow();
  const [text, setText] = useState('');
  const [pending, setPending] = useState<{ alert: ConsoleAlert; action: AlertAction } | null>(null);

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const all = [...alerts.values()];
    const shown = needle
      ? all.filter((alert) =>
          `${alert.summary} ${alert.condition} ${alert.device?.name ?? ''} ${alert.deviceId}`
            .toLowerCase()
            .includes(needle),
        )
      : all;
    return sortAlerts(shown, age);
  }, [alerts, age, text]);
  const counts = useMemo(() => countBySeverity(alerts.values()), [alerts]);

  const onAction = useCallback(
    (alert: ConsoleAlert, action: AlertAction) => setPending({ alert, action }),
    [],
  );
  const run = async (note: string | null) => {
    if (!pending) return;
    const { alert, action } = pending;
    const alertId = alert.alertId;
    if (action === 'acknowledge') await client.request(AcknowledgeAlertMutation, { alertId, note });
    else if (action === 'unacknowledge') await client.request(UnacknowledgeAlertMutation, { alertId, note });
    else if (action === 'resolve') await client.request(ResolveAlertMutation, { alertId, note });
    else await client.request(AddAlertNoteMutation, { alertId, text: note ?? '' });
    void refresh(alertId);
  };

  const go = (next: { view?: AlertView; age?: 'oldest' | 'newest' }) =>
    navigate(`/alerts${formatAlertView({ view, age, ...next })}`, { replace: true });

  return (
    <section className="page" aria-label="Alerts">
      <div className="page-header">
        <h1>Alerts</h1>
        <fieldset className="chips" aria-label="Alerts by severity">
          {[...severities].reverse().map((severity) => (
            <span key={severity} className="chip" style={{ cursor: 'default' }}>
              <SeverityBadge severity={severity} />
              <span className="count">{counts[severity]}</span>
            </span>
          ))}
        </fieldset>
      </div>
      <div className="page-header">
        <div className="tabs" role="tablist" aria-label="Which alerts">
          {views.map((item) => (
            <button
              key={item.view}
              type="button"
              role="tab"
              aria-selected={item.view === view}
              onClick={() => go({ view: item.view })}
            >
              {item.label}
            </button>
          ))}
        </div>
        <input
          type="search"
          aria-label="Search alerts"
          placeholder="Search summary, device, condition"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <select
          aria-label="Age order"
          value={age}
          onChange={(event) => go({ age: event.target.value === 'newest' ? 'newest' : 'oldest' })}
        >
          <option value="oldest">Severity, then oldest</option>
          <option value="newest">Severity, then newest</option>
        </select>
        <span className="spacer" />
        <span className="dim">
          {rows.length} shown{truncated ? ' (more exist: narrow the view)' : ''}
        </span>
      </div>
      {liveError && <InlineError error={liveError} />}
      {error && alerts.size > 0 && <InlineError error={error} />}
      {loading && alerts.size === 0 ? (
        <Loading label="Loading alerts…" />
      ) : error && alerts.size === 0 ? (
        <ErrorState error={error} onRetry={() => void reload()} title="Could not load alerts" />
      ) : rows.length === 0 ? (
        <Empty title={view === 'resolved' ? 'No resolved alerts' : 'No alerts: all quiet'}>
          {text ? 'Nothing matches the search.' : 'New alerts appear here as they are raised.'}
        </Empty>
      ) : (
        <div className="alert-list" data-testid="alert-list">
          {rows.map((alert) => (
            <AlertCard
              key={alert.alertId}
              alert={alert}
              now={now}
              canWrite={can('alert:write')}
              onAction={onAction}
            />
          ))}
        </div>
      )}
      {pending && (
        <NoteDialog
          title={dialogs[pending.action].title}
          action={dialogs[pending.action].action}
          noteRequired={dialogs[pending.action].noteRequired}
          onSubmit={run}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
};
