/**
 * CPU time of this benchmark's own PostgreSQL backends, when the server runs on this machine. On a
 * machine shared with other work, wall-clock rates swing with the load; the CPU seconds a run
 * consumed (its Node process plus its backends) do not, so they show what a change saved.
 * Backends are recognised by an application name given to every connection of the benchmark.
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import type pg from 'pg';
import { processCpu } from './process-cpu.ts';

/** The connection string with `application_name` set, which overrides the pools' own names. */
export const withApplicationName = (url: string, name: string): string => {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
};

/** One-minute load average, rounded: the state of the shared machine around a measurement. */
export const load = (): number => Number(loadavg()[0]!.toFixed(2));

const cpuSecondsOf = (pid: number): number | null => {
  const cpu = processCpu(pid);
  return cpu?.name === 'postgres' ? cpu.ownSeconds : null;
};

/**
 * Samples the backends named `applicationName` every 250 ms between start and stop; a backend seen
 * at start counts from its CPU then, one that connects later from zero. Null when the backends are
 * not visible in /proc (a remote server).
 */
export const trackBackendCpu = (pool: pg.Pool, applicationName: string) => {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let visible = false;
  const sample = async (baseline: boolean) => {
    const { rows } = await pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    for (const { pid } of rows) {
      const seconds = cpuSecondsOf(pid);
      if (seconds === null) continue;
      visible = true;
      if (!first.has(pid)) first.set(pid, baseline ? seconds : 0);
      last.set(pid, seconds);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    async start(): Promise<void> {
      await sample(true);
      timer = setInterval(() => void sample(false).catch(() => {}), 250);
    },
    /** CPU seconds of the tracked backends since start. */
    async stop(): Promise<number | null> {
      clearInterval(timer);
      await sample(false).catch(() => {});
      if (!visible) return null;
      let total = 0;
      for (const [pid, end] of last) total += end - (first.get(pid) ?? 0);
      return Number(total.toFixed(1));
    },
  };
};

/**
 * CPU of every PostgreSQL server process on this machine (backends, WAL writer, checkpointer), in ms;
 * null when the database is not on a loopback address here, or its processes cannot be read.
 */
export const postgresCpuMs = (connectionString: string): number | null => {
  const host = new URL(connectionString).hostname.replace(/^\[(.*)\]$/, '$1');
  if (!/^(127\.|::1$|localhost$)/.test(host)) return null;
  let seconds = 0;
  let processes = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    // Null when the process ended between the listing and the read.
    const cpu = processCpu(Number(pid));
    if (cpu?.name !== 'postgres') continue;
    seconds += cpu.ownSeconds;
    processes += 1;
  }
  return processes > 0 ? seconds * 1_000 : null;
};
