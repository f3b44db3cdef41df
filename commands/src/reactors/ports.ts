import type { Checkpoint } from '@netpulse/domain';

/**
 * Where a reactor keeps how far it got. Saved only after the effects of the batch it names were
 * appended, so a crash replays the batch rather than losing it (the replay is idempotent).
 */
export interface CheckpointStore {
  load(reactorName: string): Promise<Checkpoint | null>;
  save(reactorName: string, checkpoint: Checkpoint): Promise<void>;
}

/** Proof of being the one active instance of a reactor, until released or lost. */
export interface ReactorLease {
  /** Settles when the lease can no longer be trusted (its connection dropped). */
  readonly lost: Promise<unknown>;
  release(): Promise<void>;
}

/** One active instance per reactor: others stand by and keep trying. */
export interface ExclusiveLock {
  /** A lease when this instance may run the reactor now, null when another instance holds it. */
  tryAcquire(reactorName: string): Promise<ReactorLease | null>;
}

type LogFn = (obj: Readonly<Record<string, unknown>>, msg?: string) => void;

/** Shaped like pino's `(obj, msg)` calls, so a pino logger fits. */
export interface ReactorLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export type CommandOutcome = 'appended' | 'unchanged' | 'rejected';

/** What reactors report; infra implements it with prom-client. */
export interface ReactorMetrics {
  eventsHandled(reactor: string, count: number): void;
  /** Events that could not be understood (malformed, unknown type) and were skipped. */
  eventsSkipped(reactor: string, reason: string, count: number): void;
  commandSent(reactor: string, commandType: string, outcome: CommandOutcome): void;
  /** Age of the newest event of the last handled batch, when its checkpoint was stored. */
  checkpointLag(reactor: string, seconds: number): void;
  failure(reactor: string, kind: 'batch' | 'tick' | 'lock' | 'lease-lost'): void;
  active(reactor: string, active: boolean): void;
}

export const noopReactorMetrics: ReactorMetrics = {
  eventsHandled: () => {},
  eventsSkipped: () => {},
  commandSent: () => {},
  checkpointLag: () => {},
  failure: () => {},
  active: () => {},
};

export const silentReactorLogger: ReactorLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
