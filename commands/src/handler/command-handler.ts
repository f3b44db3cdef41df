import {
  type Command,
  CURRENT_SCHEMA_VERSION,
  type Decider,
  deterministicId,
  type Event,
  type EventStore,
  type EventToAppend,
  isDomainError,
  VersionConflictError,
} from '@netpulse/domain';

export type HandleOptions = Readonly<{
  /** The version the caller last saw; a mismatch is a VERSION_CONFLICT with no retry. */
  expectedVersion?: bigint;
  /** Attempts when another writer got in between our read and our append. */
  maxAttempts?: number;
}>;

export type HandleResult<E extends Event> = Readonly<{
  streamId: string;
  /** Events this command produced (empty when the decider found nothing to change). */
  events: readonly E[];
  /** Stream version after the command; null when the stream still does not exist. */
  version: bigint | null;
}>;

/** Event ids derive from the command id, so a repeated command is recognised by the store. */
export const toEventsToAppend = <E extends Event>(
  command: Command,
  events: readonly E[],
): EventToAppend<E>[] =>
  events.map((event, index) => ({
    ...event,
    id: deterministicId(command.metadata.commandId, index),
    metadata: {
      organizationId: command.metadata.organizationId,
      actor: command.metadata.actor,
      correlationId: command.metadata.correlationId ?? command.metadata.commandId,
      causationId: command.metadata.causationId ?? command.metadata.commandId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
    },
  }));

/**
 * Load → decide → append with the version that was read. When another writer appended in between,
 * the state is read again and the command decided afresh, a bounded number of times.
 */
export const handleCommand = async <State, C extends Command, E extends Event>(
  store: EventStore,
  decider: Decider<State, C, E>,
  streamId: string,
  command: C,
  options: HandleOptions = {},
): Promise<HandleResult<E>> => {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await store.aggregateStream(streamId, decider);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new VersionConflictError(streamId, options.expectedVersion.toString(), version ?? 'no-stream');
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { streamId, events, version };
    try {
      const result = await store.appendToStream(streamId, toEventsToAppend(command, events), {
        expectedVersion: version ?? 'no-stream',
      });
      return { streamId, events, version: result.nextExpectedVersion };
    } catch (error) {
      const retry =
        isDomainError(error) && error.code === 'VERSION_CONFLICT' && options.expectedVersion === undefined;
      if (!retry || attempt >= maxAttempts) throw error;
    }
  }
};
