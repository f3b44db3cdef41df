/** Codes the API puts in `extensions.code`; anything else is reported as it came. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'RATE_LIMITED'
  | 'ILLEGAL_STATE'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR'
  | (string & {});

export type GraphQLErrorEntry = Readonly<{
  message: string;
  path?: readonly (string | number)[];
  extensions?: Readonly<Record<string, unknown>>;
}>;

/** One failed operation: the first error's code and message, and every error the server sent. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  readonly code: ErrorCode;
  constructor(
    readonly operation: string,
    readonly errors: readonly GraphQLErrorEntry[],
    readonly status?: number,
  ) {
    const first = errors[0];
    super(first?.message ?? `${operation} failed`);
    const code = first?.extensions?.code;
    this.code = typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  }
}

export const networkError = (operation: string, cause: unknown): GraphQLRequestError =>
  new GraphQLRequestError(operation, [
    {
      message: `cannot reach the NetPulse API (${cause instanceof Error ? cause.message : String(cause)})`,
      extensions: { code: 'NETWORK_ERROR' },
    },
  ]);

/** What an operator reads in an error box: the message, with the code when it helps. */
export const describeError = (error: unknown): string => {
  if (error instanceof GraphQLRequestError) {
    if (error.code === 'FORBIDDEN') return `Not allowed: ${error.message}`;
    if (error.code === 'VERSION_CONFLICT')
      return `Someone changed this in the meantime (${error.message}); reload and try again.`;
    if (error.code === 'RATE_LIMITED') return `Too many requests: ${error.message}`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
};

/** Narrows the `errors` member of a GraphQL response without trusting its shape. */
export const toErrorEntries = (value: unknown): GraphQLErrorEntry[] => {
  if (!Array.isArray(value)) return [];
  return value.map((entry: unknown) => {
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const extensions = record.extensions;
    return {
      message: typeof record.message === 'string' ? record.message : 'unknown error',
      extensions:
        typeof extensions === 'object' && extensions !== null
          ? (extensions as Record<string, unknown>)
          : undefined,
    };
  });
};
