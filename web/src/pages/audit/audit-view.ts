/** The audit page's state in the URL: which tab, which stream, which moment. Pure. */
export type AuditTab = 'log' | 'events' | 'entity';

export type AuditView = Readonly<{ tab: AuditTab; stream: string; at: string | null }>;

export const parseAuditView = (search: string): AuditView => {
  const params = new URLSearchParams(search);
  const tab = params.get('tab');
  const stream = (params.get('stream') ?? '').trim();
  const at = params.get('at');
  return {
    tab: tab === 'events' || tab === 'log' || tab === 'entity' ? tab : stream ? 'entity' : 'log',
    stream,
    at: at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : null,
  };
};

export const formatAuditView = (view: AuditView): string => {
  const params = new URLSearchParams();
  if (view.tab !== (view.stream ? 'entity' : 'log')) params.set('tab', view.tab);
  if (view.stream) params.set('stream', view.stream);
  if (view.at) params.set('at', view.at);
  const query = params.toString();
  return query ? `?${query}` : '';
};

/** `device-abc` → { category: 'device', id: 'abc' }: the stream naming rule `<category>-<id>`. */
export const splitStream = (streamId: string): { category: string; id: string } => {
  const dash = streamId.indexOf('-');
  return dash === -1
    ? { category: streamId, id: '' }
    : { category: streamId.slice(0, dash), id: streamId.slice(dash + 1) };
};

/** The note, reason or text an event's data carries for a human reader. */
export const noteOf = (data: unknown): string | null => {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  for (const key of ['note', 'text', 'reason'])
    if (typeof record[key] === 'string' && record[key] !== '') return record[key] as string;
  return null;
};

/**
 * Where the time-travel slider may go: from just before the stream's first event to now, with the
 * event times as stops (previous / next buttons jump between them).
 */
export const travelStops = (times: readonly string[]): number[] =>
  [...new Set(times.map((time) => Date.parse(time)).filter((ms) => Number.isFinite(ms)))].sort(
    (a, b) => a - b,
  );

/** The last stop strictly before `at`, or the first after it: what the step buttons jump to. */
export const stepStop = (stops: readonly number[], at: number, direction: -1 | 1): number | null => {
  if (direction < 0) {
    for (let i = stops.length - 1; i >= 0; i -= 1) if ((stops[i] as number) < at) return stops[i] as number;
    return null;
  }
  for (const stop of stops) if (stop > at) return stop;
  return null;
};

type StreamEvent = Readonly<{ type: string; recordedAt: string; data: unknown }>;

/**
 * Alert streams are keyed by reduction key and hold every instance raised under it (a recurrence
 * after resolution is a new alert id). The instance to show at a moment: the last one raised by
 * then, else the first one (which did not exist yet).
 */
export const alertInstanceAt = (events: readonly StreamEvent[], at: number): string | null => {
  let chosen: string | null = null;
  for (const event of events) {
    if (event.type !== 'AlertRaised') continue;
    const data =
      typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
    if (typeof data.alertId !== 'string') continue;
    if (chosen === null || Date.parse(event.recordedAt) <= at) chosen = data.alertId;
    if (Date.parse(event.recordedAt) > at) break;
  }
  return chosen;
};
