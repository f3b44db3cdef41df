import pg from 'pg';

export type NotifierOptions = Readonly<{
  connectionString: string;
  channel: string;
  onError?: (error: unknown) => void;
}>;

/**
 * One LISTEN connection shared by every subscription of a store. Each notification (and each
 * reconnect, when notifications may have been missed) bumps a generation number that waiting
 * readers compare against, so a wake-up between a read and the wait is never lost.
 */
export class PgNotifier {
  private client: pg.Client | null = null;
  private generation = 0;
  private waiters = new Set<() => void>();
  private stopped = false;
  private connecting: Promise<void> | null = null;
  private retryDelayMs = 100;

  constructor(private readonly options: NotifierOptions) {}

  get currentGeneration(): number {
    return this.generation;
  }

  start(): void {
    if (!this.connecting && !this.client && !this.stopped) this.connecting = this.connect();
  }

  /** Resolves when the generation moves past `seen`, after `timeoutMs`, or on stop. */
  waitForChange(seen: number, timeoutMs: number): Promise<void> {
    if (this.generation !== seen || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private wake(): void {
    this.generation += 1;
    for (const waiter of [...this.waiters]) waiter();
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.options.connectionString });
      try {
        client.on('notification', () => this.wake());
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
        this.wake();
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
    this.wake();
    this.connecting = this.connect();
  }
}
