import type { Command, Event } from './event.js';

/**
 * A decider in the Emmett sense: pure functions only. `decide` throws a DomainError to reject.
 */
export type Decider<State, C extends Command, E extends Event> = Readonly<{
  decide: (command: C, state: State) => readonly E[];
  evolve: (state: State, event: E) => State;
  initialState: () => State;
}>;

/** Replays events through a decider's `evolve`. */
export const foldEvents = <State, E extends Event>(
  evolver: Readonly<{ evolve: (state: State, event: E) => State; initialState: () => State }>,
  events: Iterable<E>,
  from: State = evolver.initialState(),
): State => {
  let state = from;
  for (const event of events) state = evolver.evolve(state, event);
  return state;
};
