/** Reads `--name N` from a benchmark's arguments: a positive number, or zero where `zero` allows it. */
export const option = (
  args: readonly string[],
  name: string,
  fallback: number,
  { zero = false }: { zero?: boolean } = {},
): number => {
  const at = args.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zero))
    throw new Error(`--${name} needs a ${zero ? 'non-negative' : 'positive'} number`);
  return value;
};
