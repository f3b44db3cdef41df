import { type Command, type Decider, deterministicId, type Event } from '@netpulse/domain';

export type Guarded<State> = Readonly<{ state: State; applied: boolean }>;

/**
 * Wraps a decider so a command whose events are already in the stream decides nothing. A command's
 * events are appended all at once with ids derived from its command id, so finding the first one
 * is proof the command was applied. Without this, a replayed command could decide differently on
 * the newer state (a raise becoming a repeat) and append what the first run never meant.
 *
 * `stale` rejects a command the stream has already moved past (a decision taken at a later time),
 * which covers replayed causes whose first run decided nothing.
 */
export const withReplayGuard = <State, C extends Command, E extends Event>(
  decider: Decider<State, C, E>,
  commandId: string,
  stale: (state: State, now: Date) => boolean = () => false,
): Decider<Guarded<State>, C, E> => {
  const marker = deterministicId(commandId, 0);
  return {
    initialState: () => ({ state: decider.initialState(), applied: false }),
    evolve: (guarded, event) => ({
      state: decider.evolve(guarded.state, event),
      applied: guarded.applied || ('id' in event && event.id === marker),
    }),
    decide: (command, guarded) =>
      guarded.applied || stale(guarded.state, command.metadata.now)
        ? []
        : decider.decide(command, guarded.state),
  };
};
