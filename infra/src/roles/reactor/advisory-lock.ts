import type { ExclusiveLock, ReactorLease } from '@netpulse/commands';
import pg from 'pg';

export type AdvisoryLockOptions = Readonly<{
  connectionString: string;
  /** Part of the lock key, so deployments (and test schemas) sharing a database stay apart. */
  namespace: string;
  /** How often the holder checks its connection is still alive. */
  heartbeatMs?: number;
}>;

/**
 * One active instance per reactor: a session-level `pg_try_advisory_lock` held on a dedicated
 * connection for as long as the instance runs. PostgreSQL releases it when that session ends (the
 * process died, the network dropped), so a standby's next try succeeds. The holder watches its
 * connection (errors, end, a failing heartbeat) and reports the lease lost.
 */
export class PostgresAdvisoryLock implements ExclusiveLock {
  constructor(private readonly options: AdvisoryLockOptions) {}

  async tryAcquire(reactorName: string): Promise<ReactorLease | null> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: `netpulse-reactor-lock:${reactorName}`.slice(0, 63),
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    let signalLost: (reason: unknown) => void = () => {};
    const lost = new Promise<unknown>((resolve) => {
      signalLost = resolve;
    });
    // Without a listener, a dropped connection's 'error' event would end the process.
    client.on('error', (error) => signalLost(error));
    client.on('end', () => signalLost(new Error('lock connection ended')));
    await client.connect();
    let locked = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(hashtext('netpulse.reactor'), hashtext($1)) as locked`,
        [`${this.options.namespace}:${reactorName}`],
      );
      locked = rows[0]?.locked === true;
    } finally {
      if (!locked) await client.end().catch(() => {});
    }
    if (!locked) return null;

    let released = false;
    const heartbeat = setInterval(() => {
      client.query('select 1').catch((error: unknown) => {
        if (!released) signalLost(error);
      });
    }, this.options.heartbeatMs ?? 5_000);
    heartbeat.unref();
    return {
      lost,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        // Ending the session releases the lock even when the unlock query cannot run.
        await client.end().catch(() => {});
      },
    };
  }
}
