import { pollUntil } from '../poll-until.js';

export type FreshReadsOptions = Readonly<{
  /** How long a read waits for the read model to catch up before answering with what it has. */
  waitMs: number;
  pollMs?: number;
  /** How long an answer is shared with subscribers asking later for the same key. */
  keepMs?: number;
  maxEntries?: number;
}>;

/**
 * Reads a read-model row once it shows a change the live feed already announced (projections trail
 * the event store), waiting a bounded time. Every subscriber that resolves the same payload field
 * shares one poll: a change fanned out to a thousand dashboards costs one query, not a thousand.
 */
export class FreshReads {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(private readonly options: FreshReadsOptions) {}

  read<T>(key: string, load: () => Promise<T | null>, isFresh: (value: T) => boolean): Promise<T | null> {
    const now = Date.now();
    const keepMs = this.options.keepMs ?? 5_000;
    const known = this.entries.get(key);
    if (known && now - known.at < keepMs) return known.value as Promise<T | null>;
    this.evict(now, keepMs);
    const value = pollUntil(load, (loaded) => loaded !== null && isFresh(loaded), {
      timeoutMs: this.options.waitMs,
      intervalMs: this.options.pollMs ?? 50,
    });
    // A failed read is not kept: the next subscriber tries again.
    value.catch(() => this.entries.delete(key));
    this.entries.set(key, { at: now, value });
    return value;
  }

  /** Entries are kept in insertion order, so the stale ones are at the front. */
  private evict(now: number, keepMs: number): void {
    const max = this.options.maxEntries ?? 10_000;
    for (const [key, entry] of this.entries) {
      if (now - entry.at < keepMs && this.entries.size < max) break;
      this.entries.delete(key);
    }
  }
}
