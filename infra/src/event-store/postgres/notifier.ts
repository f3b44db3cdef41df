import pg from 'pg';

export type NotifierOptions = Readonly<{
  connectionString: string;
  channel: string;
  onError?: (error: unknown) => void;
}>;

/**
 * Tells readers what an append committed to (`topics`, see append-topics.ts). Sent after the
 * commit, in a transaction of its own: it holds the notification queue's lock for microseconds
 * instead of for the append's WAL flush. A failure is ignored: the append is stored, and readers
 * fall back to polling.
 */
export const notifyAppended = async (
  client: Pick<pg.ClientBase, 'query'>,
  channel: string,
  topics: ReadonlySet<string>,
): Promise<void> => {
  if (topics.size === 0) return;
  await client
    .query('select pg_notify($1, t) from unnest($2::text[]) t', [channel, [...topics]])
    .catch(() => {});
};

type Waiter = Readonly<{ seen: number; topics: readonly string[] | undefined; wake: () => void }>;

/**
 * One LISTEN connection shared by every subscription of a store. Each notification (and each
 * reconnect, when notifications may have been missed) bumps a generation number that waiting
 * readers compare against, so a wake-up between a read and the wait is never lost. A notification
 * names a topic (what changed: a stream category appended to, a read model committed); a reader may
 * wait for some topics only. A notification without a topic (older stores) and a reconnect count
 * as a change to every topic.
 */
export class PgNotifier {
  private client: pg.Client | null = null;
  private generation = 0;
  /** Generation of the last change to each topic, and of the last change to all of them. */
  private readonly changedAt = new Map<string, number>();
  private everythingChangedAt = 0;
  private waiters = new Set<Waiter>();
  private stopped = false;
  private connecting: Promise<void> | null = null;
  private retryDelayMs = 100;

  constructor(private readonly options: NotifierOptions) {}

  get currentGeneration(): number {
    return this.generation;
  }

  /** Connected and listening: a change committed now will be heard of. */
  get listening(): boolean {
    return this.client !== null && !this.stopped;
  }

  start(): void {
    if (!this.connecting && !this.client && !this.stopped) this.connecting = this.connect();
  }

  /** True when one of `topics` (undefined: any topic) changed after generation `seen`. */
  changedSince(seen: number, topics?: readonly string[]): boolean {
    if (this.everythingChangedAt > seen || (topics === undefined && this.generation !== seen)) return true;
    return topics?.some((topic) => (this.changedAt.get(topic) ?? 0) > seen) ?? false;
  }

  /**
   * Resolves when one of `topics` (undefined: any) changed after generation `seen`, after
   * `timeoutMs`, or on stop.
   */
  waitForChange(seen: number, timeoutMs: number, topics?: readonly string[]): Promise<void> {
    if (this.stopped || this.changedSince(seen, topics)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        seen,
        topics,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake(null);
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  /** A change to `topic`, or (null) to every topic. */
  private wake(topic: string | null): void {
    this.generation += 1;
    if (topic === null) this.everythingChangedAt = this.generation;
    else this.changedAt.set(topic, this.generation);
    for (const waiter of [...this.waiters])
      if (this.stopped || this.changedSince(waiter.seen, waiter.topics)) waiter.wake();
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.options.connectionString });
      try {
        client.on('notification', (message) => this.wake(message.payload ? message.payload : null));
        client.on('error', (error) => this.lost(client, error));
        client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
        await client.connect();
        await client.query(`listen "${this.options.channel}"`);
        if (this.stopped) {
          await client.end().catch(() => {});
          return;
        }
        this.client = client;
        this.retryDelayMs = 100;
        this.connecting = null;
        this.wake(null);
        return;
      } catch (error) {
        this.options.onError?.(error);
        await client.end().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5_000);
      }
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.stopped) return;
    this.options.onError?.(error);
    this.wake(null);
    this.connecting = this.connect();
  }
}
