import { machineSpeed, stealPctSinceStart } from './machine-speed.ts';

export type BenchResult = Readonly<{ name: string; value: number; unit: string }> & Record<string, unknown>;

/**
 * Prints a benchmark's last line: its result and the machine it ran on (see machine-speed.ts), with
 * the share of CPU time the machine's host took away while it ran.
 */
export const printResult = (result: BenchResult): void => {
  console.log(JSON.stringify({ ...result, machine: { ...machineSpeed, stealPct: stealPctSinceStart() } }));
};
