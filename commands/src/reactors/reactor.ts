import type { Clock, EventFilter, EventStore, RecordedEvent } from '@netpulse/domain';
import type { ReactorLogger, ReactorMetrics } from './ports.js';
import type { CommandSender } from './send.js';

export type ReactorContext = Readonly<{
  reactorName: string;
  store: EventStore;
  clock: Clock;
  logger: ReactorLogger;
  metrics: ReactorMetrics;
  send: CommandSender;
}>;

/**
 * A process that turns events into commands. `handle` may be called again with events it has seen
 * (after a crash, before the checkpoint was stored): what it sends must be derived from the events,
 * so a replay repeats itself exactly and the store recognises the repeat.
 */
export interface Reactor {
  readonly name: string;
  readonly filter: EventFilter;
  readonly batchSize?: number;
  /** Runs each time this instance becomes the active one, before events flow (rebuild indexes). */
  activate?(context: ReactorContext): Promise<void>;
  /** Handles one batch in global order. Throwing retries the whole batch after a back-off. */
  handle(events: readonly RecordedEvent[], context: ReactorContext): Promise<void>;
  /** Periodic work while active, e.g. escalation sweeps; time comes from the context's clock. */
  readonly tick?: Readonly<{ intervalMs: number; run(context: ReactorContext): Promise<void> }>;
}

/**
 * A reactor whose batches may overlap: `dispatch` does what `handle` does up to handing its effects
 * on in order (for the integration publisher: mapped and queued for the broker) and resolves then,
 * with `durable` settling once those effects are as durable as `handle` makes them. The runner
 * dispatches the next batch while one is still in flight, and stores each checkpoint only once
 * that batch and every batch before it are durable, in order. Whoever dispatches must refuse
 * batches dispatched after a failed one until `activate` runs again (the runner then resubscribes
 * from the stored checkpoint): a later batch must never overtake one that has to be sent again.
 * A `dispatch` that rejects must have handed nothing on: the subscription retries that batch.
 */
export type PipelinedReactor = Reactor &
  Readonly<{
    dispatch(
      events: readonly RecordedEvent[],
      context: ReactorContext,
    ): Promise<Readonly<{ durable: Promise<void> }>>;
  }>;
