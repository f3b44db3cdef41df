import type { ReactNode } from 'react';
import { describeError } from '../graphql/errors';

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <output className="state" aria-live="polite">
    <div className="spinner" />
    <div>{label}</div>
  </output>
);

export const Empty = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="state" data-testid="empty">
    <div className="title">{title}</div>
    {children && <div>{children}</div>}
  </div>
);

export const ErrorState = ({
  error,
  onRetry,
  title = 'Could not load',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) => (
  <div className="state error" role="alert">
    <div className="title">{title}</div>
    <div>{describeError(error)}</div>
    {onRetry && (
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    )}
  </div>
);

export const InlineError = ({ error }: { error: unknown }) =>
  error ? (
    <div className="inline-error" role="alert">
      {describeError(error)}
    </div>
  ) : null;
