/**
 * The structured logger the poller writes to. Shaped like pino's `(obj, msg)` calls so a pino logger
 * can be passed straight in; pollers never construct one themselves.
 */
export type LogFn = (obj: Readonly<Record<string, unknown>>, msg?: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** For tests and benchmarks that do not care about log output. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Turns anything thrown into a loggable shape without its stack's arguments (which may hold secrets). */
export const errorSummary = (error: unknown): Readonly<{ name: string; message: string }> =>
  error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'NonError', message: String(error) };
