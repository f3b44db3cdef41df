import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorState } from './states';

type State = { error: Error | null };

/** A page that throws while rendering shows an error box instead of a blank wall. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey: string }): void {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('dashboard page failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error)
      return (
        <ErrorState
          title="This page failed"
          error={this.state.error}
          onRetry={() => this.setState({ error: null })}
        />
      );
    return this.props.children;
  }
}
