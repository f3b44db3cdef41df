import type { AlertState, DeviceStatus, Severity } from '../graphql/schema-types';

export const StatusBadge = ({ status }: { status: DeviceStatus }) => (
  <span className="status" data-status={status}>
    {status}
  </span>
);

export const SeverityBadge = ({ severity }: { severity: Severity }) => (
  <span className="severity" data-severity={severity}>
    {severity}
  </span>
);

export const AlertStateBadge = ({ state }: { state: AlertState }) => (
  <span className={`badge ${state === 'open' ? 'bad' : state === 'resolved' ? 'good' : 'warn'}`}>
    {state}
  </span>
);
