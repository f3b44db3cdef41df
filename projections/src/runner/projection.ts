import type { EventFilter, RecordedEvent } from '@netpulse/domain';
import { type Queryable, quoteIdent } from '../sql/queryable.js';

/** Where one version of a projection keeps its tables. */
export type VersionTables = Readonly<{
  /** Quoted schema name. */
  schema: string;
  version: number;
  /** Unquoted name of a table of this version: `devices` → `devices_v3`. */
  name(base: string): string;
  /** Schema-qualified, quoted name of a table of this version. */
  table(base: string): string;
  /** Schema-qualified, quoted name of a reader-facing view (unversioned). */
  view(base: string): string;
}>;

export const versionTables = (schema: string, version: number): VersionTables => {
  const s = quoteIdent(schema);
  const name = (base: string) => `${base}_v${version}`;
  return {
    schema: s,
    version,
    name,
    table: (base) => `${s}.${quoteIdent(name(base))}`,
    view: (base) => `${s}.${quoteIdent(base)}`,
  };
};

export type ApplyContext = VersionTables &
  Readonly<{
    /**
     * `rebuild` while a blue-green rebuild fills a version that nobody reads yet: a projection may
     * then defer derived tables to `finishRebuild` (set-based over everything at once) as long as
     * the end result is identical to live processing.
     */
    mode: 'live' | 'rebuild';
    /** Runs once the batch's transaction committed (e.g. to remember partitions that now exist). */
    afterCommit(effect: () => void): void;
  }>;

/**
 * A read model fed from the event log. `apply` handles a whole batch with set-based SQL inside the
 * runner's transaction, which also moves the checkpoint: so it must write nothing outside `client`
 * and must depend only on the events and the tables (never the wall clock), or a rebuild would not
 * reproduce what live processing produced.
 */
export interface Projection {
  readonly name: string;
  readonly filter: EventFilter;
  /**
   * Live batch size when it should differ from the runner's: a projection whose per-batch cost is
   * high (metrics' rollup upserts) keeps up better with fewer, larger batches.
   */
  readonly batchSize?: number;
  /**
   * Live batches wait for their commit to reach the disk (`synchronous_commit` as configured).
   * Without it they commit asynchronously: a server crash can take the last few batches back, and
   * the runner applies them again from the durable checkpoint. Set it where even that moment of
   * going back matters (a read model consulted to grant access).
   */
  readonly durableCommits?: boolean;
  /** Idempotent DDL for one version's tables, run one statement at a time outside a transaction. */
  createStatements(tables: VersionTables): readonly string[];
  /** Reader-facing views over one version: view name → select. Switched atomically on rebuild. */
  views(tables: VersionTables): ReadonlyArray<readonly [view: string, select: string]>;
  /** Removes one retired version. */
  dropStatements(tables: VersionTables): readonly string[];
  apply(client: Queryable, events: readonly RecordedEvent[], context: ApplyContext): Promise<void>;
  /**
   * Completes what `rebuild` mode deferred, just before the switch. `transaction` runs work in a
   * transaction of its own; several may run at once (the version is not read by anyone yet, and
   * each piece must be idempotent, since a failed finish is retried by running the rebuild again).
   */
  finishRebuild?(transaction: TransactionRunner, tables: VersionTables): Promise<void>;
}

export type TransactionRunner = (work: (client: Queryable) => Promise<void>) => Promise<void>;

/** True when the event passes the projection's filter (the same rule the store applies). */
export const matchesFilter = (filter: EventFilter, event: RecordedEvent): boolean => {
  if (filter.eventTypes?.length && !filter.eventTypes.includes(event.type)) return false;
  if (filter.categories?.length) {
    const dash = event.streamId.indexOf('-');
    const category = dash === -1 ? event.streamId : event.streamId.slice(0, dash);
    if (!filter.categories.includes(category)) return false;
  }
  return true;
};
