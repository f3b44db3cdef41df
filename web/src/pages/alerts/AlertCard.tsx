import { memo, useState } from 'react';
import { Link } from '../../app/router';
import { devicePath } from '../../app/routes';
import { AlertStateBadge, SeverityBadge } from '../../components/badges';
import { formatAge, formatTime } from '../../components/format';
import { AlertTimeline } from './AlertTimeline';
import type { ConsoleAlert } from './alert-documents';

export type AlertAction = 'acknowledge' | 'unacknowledge' | 'resolve' | 'note';

/** One alert: what, where, how often, who is on it; the actions the role may take. */
export const AlertCard = memo(
  ({
    alert,
    now,
    canWrite,
    onAction,
  }: Readonly<{
    alert: ConsoleAlert;
    now: number;
    canWrite: boolean;
    onAction: (alert: ConsoleAlert, action: AlertAction) => void;
  }>) => {
    const [open, setOpen] = useState(false);
    return (
      <article
        className="alert-card"
        data-severity={alert.severity}
        data-state={alert.state}
        data-alert-id={alert.alertId}
        data-device-id={alert.deviceId}
        aria-label={`${alert.severity} alert: ${alert.summary}`}
      >
        <div className="row">
          <SeverityBadge severity={alert.severity} />
        </div>
        <div>
          <div className="summary">{alert.summary}</div>
          <div className="meta">
            <Link to={devicePath(alert.deviceId)}>{alert.device?.name ?? alert.deviceId}</Link>
            <span>{alert.condition}</span>
            <AlertStateBadge state={alert.state} />
            <span title={formatTime(alert.raisedAt)}>raised {formatAge(alert.raisedAt, now)}</span>
            {alert.count > 1 && (
              <span className="badge warn" data-testid="repeat-count">
                ×{alert.count} repeats
              </span>
            )}
            {alert.escalationLevel > 0 && (
              <span className="badge bad" data-testid="escalation">
                escalation L{alert.escalationLevel}
              </span>
            )}
            {alert.suppressed && (
              <span className="badge" data-testid="suppressed">
                suppressed{alert.suppressionReason ? `: ${alert.suppressionReason}` : ''}
              </span>
            )}
            {alert.notificationsFailed > 0 && (
              <span className="badge bad">{alert.notificationsFailed} notifications failed</span>
            )}
          </div>
          {alert.state === 'acknowledged' && alert.acknowledgedBy && (
            <div className="meta" data-testid="ack-info">
              acknowledged by {alert.acknowledgedBy.id} {formatAge(alert.acknowledgedAt, now)}
              {alert.acknowledgementNote && <q>{alert.acknowledgementNote}</q>}
            </div>
          )}
          {alert.state === 'resolved' && (
            <div className="meta">
              resolved {formatAge(alert.resolvedAt, now)}{' '}
              {alert.resolvedAutomatically
                ? 'automatically'
                : alert.resolvedBy
                  ? `by ${alert.resolvedBy.id}`
                  : ''}
            </div>
          )}
        </div>
        <div className="actions">
          {canWrite && alert.state === 'open' && (
            <button type="button" className="primary small" onClick={() => onAction(alert, 'acknowledge')}>
              Acknowledge
            </button>
          )}
          {canWrite && alert.state === 'acknowledged' && (
            <button type="button" className="small" onClick={() => onAction(alert, 'unacknowledge')}>
              Unacknowledge
            </button>
          )}
          {canWrite && alert.state !== 'resolved' && (
            <button type="button" className="small" onClick={() => onAction(alert, 'resolve')}>
              Resolve
            </button>
          )}
          {canWrite && (
            <button type="button" className="small" onClick={() => onAction(alert, 'note')}>
              Add note
            </button>
          )}
          <button type="button" className="small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide history' : 'History'}
          </button>
        </div>
        {open && (
          <div className="more">
            <AlertTimeline key={alert.lastChangedAt} alertId={alert.alertId} />
          </div>
        )}
      </article>
    );
  },
);
