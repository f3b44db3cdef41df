import type { Checkpoint, ReadAllOptions, ReadAllResult, RecordedEvent } from '@netpulse/domain';

export type OwnEventsPage = Readonly<{
  events: readonly RecordedEvent[];
  checkpoint: Checkpoint;
  caughtUp: boolean;
}>;

/**
 * One organization's page of the global log. The log interleaves every tenant, so this reads on
 * until it has `wanted` events of `organizationId`, reaches the head, or has looked at `maxScanned`
 * events (then the page is short and `caughtUp` false: the client simply asks again). The
 * checkpoint is that of the last event looked at, so foreign events are never read twice, and
 * never shown.
 */
export const readOwnEvents = async (
  readAll: (options: ReadAllOptions) => Promise<ReadAllResult>,
  options: Readonly<{
    organizationId: string;
    after: Checkpoint;
    filter: NonNullable<ReadAllOptions['filter']>;
    wanted: number;
    maxScanned: number;
  }>,
): Promise<OwnEventsPage> => {
  const events: RecordedEvent[] = [];
  let checkpoint = options.after;
  let scanned = 0;
  for (;;) {
    const batch = await readAll({ after: checkpoint, filter: options.filter, limit: options.wanted });
    for (const event of batch.events) {
      checkpoint = event.checkpoint;
      scanned++;
      if (event.metadata.organizationId === options.organizationId) events.push(event);
      if (events.length === options.wanted) {
        const last = event === batch.events[batch.events.length - 1];
        return { events, checkpoint: last ? batch.checkpoint : checkpoint, caughtUp: last && batch.caughtUp };
      }
    }
    checkpoint = batch.checkpoint;
    if (batch.caughtUp || batch.events.length === 0) return { events, checkpoint, caughtUp: batch.caughtUp };
    if (scanned >= options.maxScanned) return { events, checkpoint, caughtUp: false };
  }
};
