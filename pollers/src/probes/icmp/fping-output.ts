/**
 * Parses `fping -C <n> -q` output: one line per target, `<target> : <rtt|-> <rtt|-> …`, written to
 * stderr. Targets that never made it (a name that did not resolve) have no such line.
 */
export const parseFpingOutput = (output: string, packets: number): Map<string, (number | null)[]> => {
  const results = new Map<string, (number | null)[]>();
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s+:\s+((?:[-\d.]+\s*)+)$/.exec(line.trim());
    if (!match) continue;
    const values = match[2]!.trim().split(/\s+/);
    if (values.length !== packets) continue;
    const rtts = values.map((value) => {
      if (value === '-') return null;
      const rtt = Number(value);
      return Number.isFinite(rtt) && rtt >= 0 ? rtt : null;
    });
    results.set(match[1]!, rtts);
  }
  return results;
};
