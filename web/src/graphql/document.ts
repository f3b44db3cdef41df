/** Variables of an operation: plain JSON values, as GraphQL sends them. */
export type Variables = Readonly<Record<string, unknown>>;

/**
 * A GraphQL operation tagged with the shapes of its result and variables. The phantom fields carry
 * the types only; at run time a document is its source text.
 */
export type Document<TData, TVariables extends Variables = Record<string, never>> = Readonly<{
  source: string;
  /** The operation's name, for logs and error messages. */
  name: string;
  readonly __data?: TData;
  readonly __variables?: TVariables;
}>;

export type DataOf<D> = D extends Document<infer T, Variables> ? T : never;

const operationName = (source: string): string =>
  /\b(?:query|mutation|subscription)\s+(\w+)/.exec(source)?.[1] ?? 'anonymous';

/** Declares an operation: `gql<Result, Vars>(\`query Fleet(...) { ... }\`)`. */
export const gql = <TData, TVariables extends Variables = Record<string, never>>(
  source: string,
): Document<TData, TVariables> => ({ source, name: operationName(source) });
