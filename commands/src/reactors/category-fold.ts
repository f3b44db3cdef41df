import {
  type Checkpoint,
  type Event,
  type EventStore,
  type Evolver,
  eventSchemas,
  START,
} from '@netpulse/domain';

/**
 * The current state of every stream of one category, kept in memory and brought up to date by
 * reading the category after its own checkpoint (from START when built). Independent of the
 * reactor's checkpoint, so a reactor replaying older events still sees today's rules and alerts.
 * Only states `keep` accepts are held (e.g. open alerts), the rest are forgotten.
 */
export class CategoryFold<State, E extends Event> {
  private readonly states = new Map<string, State>();
  private checkpoint: Checkpoint = START;
  private refreshing: Promise<void> = Promise.resolve();
  /** Events that failed validation: skipped so one bad event cannot block the fold. */
  malformed = 0;

  constructor(
    private readonly category: string,
    private readonly evolver: Evolver<State, E>,
    private readonly keep: (state: State) => boolean,
  ) {}

  /** Reads what is new; concurrent callers share one read so no event is folded twice. */
  refresh(store: EventStore): Promise<void> {
    const next = this.refreshing.catch(() => {}).then(() => this.catchUp(store));
    this.refreshing = next;
    return next;
  }

  /** Forgets everything (a new active period rebuilds from START). */
  reset(): void {
    this.states.clear();
    this.checkpoint = START;
  }

  get(streamId: string): State | undefined {
    return this.states.get(streamId);
  }

  entries(): IterableIterator<[string, State]> {
    return this.states.entries();
  }

  private async catchUp(store: EventStore): Promise<void> {
    for (;;) {
      const page = await store.readAll({
        after: this.checkpoint,
        filter: { categories: [this.category] },
        limit: 1_000,
      });
      for (const recorded of page.events) {
        const parsed = eventSchemas
          .get(recorded.type)
          ?.safeParse({ type: recorded.type, data: recorded.data });
        if (!parsed?.success) {
          this.malformed++;
          continue;
        }
        const event = { ...recorded, data: (parsed.data as { data: unknown }).data } as unknown as E;
        const state = this.evolver.evolve(
          this.states.get(recorded.streamId) ?? this.evolver.initialState(),
          event,
        );
        if (this.keep(state)) this.states.set(recorded.streamId, state);
        else this.states.delete(recorded.streamId);
      }
      this.checkpoint = page.checkpoint;
      if (page.caughtUp) return;
    }
  }
}
