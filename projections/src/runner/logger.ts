/** The logging projections need; a pino logger fits (only `(obj, msg)` calls are made). */
export type ProjectionLogger = Readonly<{
  debug(obj: Readonly<Record<string, unknown>>, msg?: string): void;
  info(obj: Readonly<Record<string, unknown>>, msg?: string): void;
  warn(obj: Readonly<Record<string, unknown>>, msg?: string): void;
  error(obj: Readonly<Record<string, unknown>>, msg?: string): void;
}>;

const nothing = () => {};
export const silentProjectionLogger: ProjectionLogger = {
  debug: nothing,
  info: nothing,
  warn: nothing,
  error: nothing,
};
