import { readFileSync } from 'node:fs';

/** /proc counts CPU time in USER_HZ, 100 per second on Linux. */
const TICKS_PER_SECOND = 100;

export type ProcessCpu = Readonly<{
  /** The executable's name as /proc gives it (`postgres`, `node`, …). */
  name: string;
  /** User plus system CPU seconds of the process itself. */
  ownSeconds: number;
  /** User plus system CPU seconds of its children that ended and were waited for (ping, fping). */
  childrenSeconds: number;
}>;

/** A process's CPU time so far, from /proc/<pid>/stat; null when it cannot be read (gone, not Linux). */
export const processCpu = (pid: number | 'self'): ProcessCpu | null => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The name is in parentheses and may itself hold spaces or parentheses: split after the last one.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  const seconds = (...indexes: number[]) =>
    indexes.reduce((sum, index) => sum + Number(fields[index]), 0) / TICKS_PER_SECOND;
  return {
    name: stat.slice(stat.indexOf('(') + 1, close),
    ownSeconds: seconds(11, 12),
    childrenSeconds: seconds(13, 14),
  };
};

/** The ids of a process's children, from /proc (empty when it has none or cannot be read). */
export const childPids = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

/** Own CPU seconds of a process and of each of its descendants alive now, by pid. */
export const processTreeCpu = (pid: number): Map<number, number> => {
  const seconds = new Map<number, number>();
  const visit = (id: number) => {
    const cpu = processCpu(id);
    if (!cpu) return;
    seconds.set(id, cpu.ownSeconds);
    for (const child of childPids(id)) visit(child);
  };
  visit(pid);
  return seconds;
};
