import { type AlertState, type Severity, severities } from '../../graphql/schema-types';

export type AgeOrder = 'oldest' | 'newest';
export type AlertView = 'active' | 'open' | 'acknowledged' | 'resolved';

type Sortable = Readonly<{ alertId: string; severity: Severity; raisedAt: string; state: AlertState }>;

/** critical 4 … info 0. */
export const severityRank = (severity: Severity): number => severities.indexOf(severity);

/**
 * The console's order: most severe first; within a severity, by age (oldest first by default: what
 * has waited longest), then by id so equal alerts keep a stable place.
 */
export const compareAlerts =
  (age: AgeOrder = 'oldest') =>
  (a: Sortable, b: Sortable): number => {
    const bySeverity = severityRank(b.severity) - severityRank(a.severity);
    if (bySeverity !== 0) return bySeverity;
    const byAge = Date.parse(a.raisedAt) - Date.parse(b.raisedAt);
    if (byAge !== 0) return age === 'oldest' ? byAge : -byAge;
    return a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0;
  };

export const sortAlerts = <T extends Sortable>(alerts: readonly T[], age: AgeOrder = 'oldest'): T[] =>
  [...alerts].sort(compareAlerts(age));

export const statesOfView = (view: AlertView): AlertState[] =>
  view === 'active' ? ['open', 'acknowledged'] : [view];

/** Whether an alert in this state belongs in the view (a resolved alert leaves the active list). */
export const belongsInView = (view: AlertView, state: AlertState): boolean =>
  statesOfView(view).includes(state);

/** Counts by severity, most severe first, for the console's header. */
export const countBySeverity = (alerts: Iterable<Sortable>): Record<Severity, number> => {
  const counts: Record<Severity, number> = { info: 0, warning: 0, minor: 0, major: 0, critical: 0 };
  for (const alert of alerts) counts[alert.severity] += 1;
  return counts;
};

export const parseAlertView = (search: string): { view: AlertView; age: AgeOrder } => {
  const params = new URLSearchParams(search);
  const view = params.get('view');
  return {
    view: view === 'open' || view === 'acknowledged' || view === 'resolved' ? view : 'active',
    age: params.get('age') === 'newest' ? 'newest' : 'oldest',
  };
};

export const formatAlertView = ({ view, age }: { view: AlertView; age: AgeOrder }): string => {
  const params = new URLSearchParams();
  if (view !== 'active') params.set('view', view);
  if (age !== 'oldest') params.set('age', age);
  const query = params.toString();
  return query ? `?${query}` : '';
};
