/**
 * `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--from S] [--to S] [--top N] [--timeline]`
 *
 * Self time by function of a V8 CPU profile (`node --cpu-prof`), restricted to the samples between
 * `--from` and `--to` seconds after the profile started: a benchmark's server profile spans start-up
 * and every phase, and only one phase is of interest. `--timeline` prints the busy share of each
 * second first, which is how the phases are found.
 */
import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

const numberAfter = (args: readonly string[], name: string): number | undefined => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : Number(args[at + 1]);
};

/** `(idle)`, `(program)` and `(garbage collector)` are V8's own pseudo-frames. */
const IDLE = '(idle)';

const label = ({ functionName, url, lineNumber }: CallFrame): string => {
  const where = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  return `${functionName || '(anonymous)'} ${where ? `${where.split('/work/').at(-1)}:${lineNumber + 1}` : ''}`;
};

const main = (args: readonly string[]): void => {
  const file = args[0];
  if (!file) throw new Error('usage: cpu-profile-summary <file.cpuprofile> [--from S] [--to S] [--top N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const from = (numberAfter(args, 'from') ?? 0) * 1e6;
  const to = (numberAfter(args, 'to') ?? Number.POSITIVE_INFINITY) * 1e6;
  const top = numberAfter(args, 'top') ?? 40;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));

  const selfUs = new Map<string, number>();
  const busyBySecond: number[] = [];
  let at = 0;
  let busy = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const second = Math.floor(at / 1e6);
    if (frame.functionName !== IDLE) busyBySecond[second] = (busyBySecond[second] ?? 0) + delta;
    if (at < from || at >= to) return;
    total += delta;
    if (frame.functionName === IDLE) return;
    busy += delta;
    const key = label(frame);
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
  });

  if (args.includes('--timeline'))
    for (const [second, us] of busyBySecond.entries())
      console.log(`${String(second).padStart(4)} s  ${Math.round((us ?? 0) / 1e4)} % busy`);
  console.log(
    `window ${Math.round(total / 1e3)} ms, busy ${Math.round(busy / 1e3)} ms (${Math.round((100 * busy) / Math.max(1, total))} %)`,
  );
  const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, us] of rows)
    console.log(`${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)} %  ${key}`);
};

main(process.argv.slice(2));
