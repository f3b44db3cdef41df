import type { Checkpoint, ReadAllResult, RecordedEvent } from '@netpulse/domain';

export type ReplayLiveMergeOptions = Readonly<{
  /** Where the client is: START, the checkpoint of the last event it received, or null for live only. */
  after: Checkpoint | null;
  compare: (a: Checkpoint, b: Checkpoint) => number;
  /** Live events kept while replaying; beyond it they are dropped and the replay reads them instead. */
  bufferLimit: number;
  /** Whether an event belongs in this feed (organization, types, categories). */
  accepts: (event: RecordedEvent) => boolean;
}>;

/** Identifies a replay read: where it starts and which gap generation it began in. */
export type ReplayRead = Readonly<{ after: Checkpoint; generation: number }>;

/**
 * Decides what a resumable feed delivers when it hears the same log from two sides: pages replayed
 * from the store and events pushed by the live feed. Pure, so the switch can be tested event by event.
 *
 * The live listener is registered before the first replay read, so every event made visible after
 * that moment arrives live. Replay runs until a read that *began* after the last gap (or dropped
 * buffer) reaches the head: everything visible when that read began is in the replay, everything
 * made visible later is in the buffer or still to come live, and the checkpoint comparison drops
 * what both sides carry. Any gap the live side reports sends the feed back to replaying from the
 * last checkpoint it delivered.
 */
export class ReplayLiveMerge {
  private mode: 'replaying' | 'live';
  private position: Checkpoint | null;
  private buffer: RecordedEvent[] = [];
  private generation = 0;

  constructor(private readonly options: ReplayLiveMergeOptions) {
    this.position = options.after;
    this.mode = options.after === null ? 'live' : 'replaying';
  }

  get replaying(): boolean {
    return this.mode === 'replaying';
  }

  /** The checkpoint everything up to which was delivered (or filtered out); null before the first. */
  get checkpoint(): Checkpoint | null {
    return this.position;
  }

  /** Where the next replay read starts. */
  nextRead(): ReplayRead {
    if (this.position === null) throw new Error('ReplayLiveMerge: nothing to replay from');
    return { after: this.position, generation: this.generation };
  }

  /** A replayed page: what to deliver, in order, including the buffered tail once replay is done. */
  onPage(read: ReplayRead, page: Pick<ReadAllResult, 'events' | 'checkpoint' | 'caughtUp'>): RecordedEvent[] {
    if (this.mode !== 'replaying' || read.after !== this.position) return [];
    const deliver = page.events.filter((event) => this.isNew(event) && this.options.accepts(event));
    if (this.isAhead(page.checkpoint)) this.position = page.checkpoint;
    if (page.caughtUp && read.generation === this.generation) {
      this.mode = 'live';
      for (const event of this.buffer) {
        if (!this.isNew(event)) continue;
        deliver.push(event);
        this.position = event.checkpoint;
      }
      this.buffer = [];
    }
    return deliver;
  }

  /** A live event: returned when it is to be delivered now, kept for later while replaying. */
  onLive(event: RecordedEvent): RecordedEvent | null {
    if (!this.options.accepts(event) || !this.isNew(event)) return null;
    if (this.mode === 'live') {
      this.position = event.checkpoint;
      return event;
    }
    if (this.buffer.length >= this.options.bufferLimit) {
      // Everything dropped here is visible already, so a read beginning after now will contain it.
      this.buffer = [];
      this.generation += 1;
    }
    this.buffer.push(event);
    return null;
  }

  /**
   * The live side may have missed events: replay from the last delivered checkpoint. A live-only feed
   * that delivered nothing yet has nothing to be continuous with.
   */
  onGap(): void {
    if (this.position === null) return;
    this.generation += 1;
    this.mode = 'replaying';
  }

  private isNew(event: RecordedEvent): boolean {
    return this.isAhead(event.checkpoint);
  }

  private isAhead(checkpoint: Checkpoint): boolean {
    return this.position === null || this.options.compare(checkpoint, this.position) > 0;
  }
}
