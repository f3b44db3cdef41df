import type { Logger } from '@netpulse/pollers';

/** A logger that keeps every line, to assert on what was (and was not) logged. */
export const captureLogger = (): Logger & {
  lines: Array<{ level: string; obj: unknown; msg?: string }>;
  text(): string;
} => {
  const lines: Array<{ level: string; obj: unknown; msg?: string }> = [];
  const at =
    (level: string) =>
    (obj: Readonly<Record<string, unknown>>, msg?: string): void => {
      lines.push({ level, obj, ...(msg !== undefined && { msg }) });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => JSON.stringify(lines),
  };
};
