import type pg from 'pg';

/**
 * One active instance per projection version: a session-level advisory lock held on a dedicated
 * connection. The two-int form keeps these keys apart from the migrator's single bigint key.
 * Losing the connection loses the lock; `onLost` tells the holder to stop and compete again.
 */
export class AdvisoryLock {
  private client: pg.PoolClient | null = null;
  private onError: ((error: unknown) => void) | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly space: string,
    private readonly key: string,
  ) {}

  /** True when this instance now holds the lock; false when another one does. */
  async tryAcquire(onLost: (error: unknown) => void): Promise<boolean> {
    const client = await this.pool.connect();
    const lost = (error: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
      onLost(error);
    };
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1), hashtext($2)) as locked',
        [this.space, this.key],
      );
      if (!rows[0]?.locked) {
        client.release();
        return false;
      }
    } catch (error) {
      client.release(true);
      throw error;
    }
    client.on('error', lost);
    this.client = client;
    this.onError = lost;
    return true;
  }

  get held(): boolean {
    return this.client !== null;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (this.onError) client.off('error', this.onError);
    // A late connection error must not become an uncaught exception; ending the session frees the
    // lock even if the unlock statement cannot run.
    const ignore = () => {};
    client.on('error', ignore);
    try {
      await client.query('select pg_advisory_unlock(hashtext($1), hashtext($2))', [this.space, this.key]);
      client.off('error', ignore);
      client.release();
    } catch {
      client.release(true);
    }
  }
}
