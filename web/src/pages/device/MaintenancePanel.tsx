import { type FormEvent, useState } from 'react';
import { formatTime, fromLocalInput, toLocalInput } from '../../components/format';
import { InlineError } from '../../components/states';
import { useMutation } from '../../graphql/use-mutation';
import {
  CancelMaintenanceMutation,
  type MaintenanceWindow,
  ScheduleMaintenanceMutation,
} from './device-documents';

/** Scheduled maintenance windows (alerts raised inside one are suppressed) and the form to add one. */
export const MaintenancePanel = ({
  deviceId,
  windows,
  version,
  canWrite,
  onChanged,
}: Readonly<{
  deviceId: string;
  windows: readonly MaintenanceWindow[];
  version: string | null;
  canWrite: boolean;
  onChanged: () => void;
}>) => {
  const [startsAt, setStartsAt] = useState(() => toLocalInput(new Date(Date.now() + 5 * 60_000)));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(new Date(Date.now() + 65 * 60_000)));
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [schedule, scheduling] = useMutation(ScheduleMaintenanceMutation);
  const [cancel, cancelling] = useMutation(CancelMaintenanceMutation);
  const now = Date.now();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const start = fromLocalInput(startsAt);
    const end = fromLocalInput(endsAt);
    if (!start || !end) return setFormError('both times are required');
    if (end <= start) return setFormError('the window must end after it starts');
    if (!reason.trim()) return setFormError('give a reason (it is kept in the audit trail)');
    setFormError(null);
    try {
      await schedule({
        input: { deviceId, startsAt: start.toISOString(), endsAt: end.toISOString(), reason: reason.trim() },
        expectedVersion: version,
      });
      setReason('');
      onChanged();
    } catch {
      // shown below
    }
  };

  const upcoming = [...windows]
    .filter((window) => Date.parse(window.endsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  return (
    <section className="panel" aria-label="Maintenance">
      <h3>Maintenance</h3>
      {upcoming.length === 0 ? (
        <div className="dim">No maintenance scheduled.</div>
      ) : (
        <table className="table">
          <tbody>
            {upcoming.map((window) => (
              <tr key={window.windowId}>
                <td className="nowrap">
                  {formatTime(window.startsAt)} – {formatTime(window.endsAt)}
                  {Date.parse(window.startsAt) <= now && <span className="badge warn"> now</span>}
                </td>
                <td>{window.reason}</td>
                <td>
                  {canWrite && (
                    <button
                      type="button"
                      className="small danger"
                      disabled={cancelling.pending}
                      onClick={() =>
                        cancel({ deviceId, windowId: window.windowId, expectedVersion: version }).then(
                          onChanged,
                          () => undefined,
                        )
                      }
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <form onSubmit={submit} className="row" aria-label="Schedule maintenance">
          <label className="field">
            Starts
            <input
              type="datetime-local"
              value={startsAt}
              onChange={(event) => setStartsAt(event.target.value)}
            />
          </label>
          <label className="field">
            Ends
            <input type="datetime-local" value={endsAt} onChange={(event) => setEndsAt(event.target.value)} />
          </label>
          <label className="field" style={{ flex: 1 }}>
            Reason
            <input
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              placeholder="firmware upgrade"
            />
          </label>
          <button type="submit" disabled={scheduling.pending} style={{ alignSelf: 'flex-end' }}>
            Schedule
          </button>
        </form>
      )}
      {formError && <div className="inline-error">{formError}</div>}
      <InlineError error={scheduling.error ?? cancelling.error} />
    </section>
  );
};
