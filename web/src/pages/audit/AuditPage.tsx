import { navigate, useLocation } from '../../app/router';
import { useAuth } from '../../auth/auth-context';
import { Empty } from '../../components/states';
import { AuditLogTab } from './AuditLogTab';
import { type AuditTab, type AuditView, formatAuditView, parseAuditView } from './audit-view';
import { EntityTab } from './EntityTab';
import { EventLogTab } from './EventLogTab';

/** The auditor's view: who did what (audit log), the raw event log, one entity's history in time. */
export const AuditPage = () => {
  const { can } = useAuth();
  const location = useLocation();
  const view = parseAuditView(location.search);
  const go = (next: AuditView, replace = false) => navigate(`/audit${formatAuditView(next)}`, { replace });
  const openStream = (stream: string, at?: string) => go({ tab: 'entity', stream, at: at ?? null });

  const tabs: { tab: AuditTab; label: string; allowed: boolean }[] = [
    { tab: 'log', label: 'Audit log', allowed: can('audit:read') },
    { tab: 'events', label: 'Event log', allowed: can('events:read') },
    { tab: 'entity', label: 'Entity history & time travel', allowed: can('audit:read') },
  ];
  const allowed = tabs.filter((tab) => tab.allowed);
  if (allowed.length === 0)
    return <Empty title="Not available to your role">The audit views need the auditor or admin role.</Empty>;
  const active = allowed.some((tab) => tab.tab === view.tab) ? view.tab : (allowed[0]?.tab ?? 'log');

  return (
    <section className="page" aria-label="Audit">
      <div className="page-header">
        <h1>Audit</h1>
        <div className="tabs" role="tablist">
          {allowed.map((tab) => (
            <button
              key={tab.tab}
              type="button"
              role="tab"
              aria-selected={tab.tab === active}
              onClick={() => go({ ...view, tab: tab.tab })}
            >
              {tab.label}
            </button>
          ))}
        </div>
      </div>
      {active === 'log' && <AuditLogTab onOpenStream={openStream} />}
      {active === 'events' && <EventLogTab onOpenStream={openStream} />}
      {active === 'entity' && (
        <EntityTab
          streamId={view.stream}
          at={view.at}
          onChange={(stream, at) => go({ tab: 'entity', stream, at }, stream === view.stream)}
        />
      )}
    </section>
  );
};
