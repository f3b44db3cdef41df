import { Counter, type Registry } from 'prom-client';

/**
 * Tells a reader which read models changed, as generations: a number that grows with every change
 * it hears of, and with every moment it may have missed one (a reconnect counts as a change to all).
 * In production, a LISTEN on the channel the projectors announce their commits on.
 */
export type ReadModelChanges = Readonly<{
  /** False while changes cannot be heard (not connected yet, or reconnecting): nothing is kept then. */
  readonly listening: boolean;
  readonly currentGeneration: number;
  /** True when one of `readModels` changed after `generation`. */
  changedSince(generation: number, readModels: readonly string[]): boolean;
}>;

export type ReadModelCacheOptions = Readonly<{
  changes: ReadModelChanges;
  /** Results kept at most; the least recently read go first. */
  maxEntries?: number;
  /**
   * Longest a result is served without being read again. A LISTEN connection can die without
   * telling (a half-open socket): this bounds what a change missed that way can cost.
   */
  maxAgeMs?: number;
  now?: () => number;
  registry?: Registry;
}>;

type Entry = { readonly generation: number; readonly at: number; readonly value: Promise<unknown> };
type Outcome = 'hit' | 'miss' | 'bypass';

const counters = new WeakMap<Registry, Counter<'read_model' | 'outcome'>>();
const readsCounter = (registry: Registry) => {
  const known = counters.get(registry);
  if (known) return known;
  const counter = new Counter({
    name: 'netpulse_read_cache_reads_total',
    help: 'Read-model queries by outcome: hit (served from the cache), miss (read and kept), bypass (read, not kept: changes cannot be heard)',
    labelNames: ['read_model', 'outcome'] as const,
    registers: [registry],
  });
  counters.set(registry, counter);
  return counter;
};

/**
 * Keeps read-model query results until the read model they came from changes. A dashboard page asked
 * a thousand times a second between two projector commits is read once; concurrent askers of the
 * same key share the one read in flight. Exact, not timed: a result is dropped as soon as its read
 * model's commit is heard of (a millisecond or so after it), and a read that started before a change
 * is never kept past it, since its generation is taken before the read begins.
 * Results are shared between callers: they must treat them as immutable.
 */
export class ReadModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reads: Counter<'read_model' | 'outcome'> | undefined;

  constructor(private readonly options: ReadModelCacheOptions) {
    this.reads = options.registry ? readsCounter(options.registry) : undefined;
  }

  read<T>(readModel: string, key: string, load: () => Promise<T>): Promise<T> {
    const { changes } = this.options;
    if (!changes.listening) return this.count(readModel, 'bypass', load());
    const now = this.options.now?.() ?? Date.now();
    const entryKey = `${readModel}\u0000${key}`;
    const known = this.entries.get(entryKey);
    if (known) {
      this.entries.delete(entryKey);
      if (
        now - known.at < (this.options.maxAgeMs ?? 10_000) &&
        !changes.changedSince(known.generation, [readModel])
      ) {
        // Re-inserted: the map's order is the order of last use.
        this.entries.set(entryKey, known);
        return this.count(readModel, 'hit', known.value as Promise<T>);
      }
    }
    const entry: Entry = { generation: changes.currentGeneration, at: now, value: load() };
    // A failed read is not kept: the next caller tries again.
    entry.value.catch(() => {
      if (this.entries.get(entryKey) === entry) this.entries.delete(entryKey);
    });
    this.entries.set(entryKey, entry);
    this.evict();
    return this.count(readModel, 'miss', entry.value as Promise<T>);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const max = this.options.maxEntries ?? 1_000;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= max) return;
      this.entries.delete(key);
    }
  }

  private count<T>(readModel: string, outcome: Outcome, value: Promise<T>): Promise<T> {
    this.reads?.inc({ read_model: readModel, outcome });
    return value;
  }
}
