import { isDomainError } from '@netpulse/domain';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApiError, type ApiErrorCode } from './api-error.js';

type Classified = Readonly<{
  code: ApiErrorCode;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}>;

const hasCode = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === code;

/**
 * Decides what a client may learn from an error: typed errors keep their message and details; a
 * query the schema rejects is VALIDATION_FAILED; anything else is an internal error whose message,
 * stack and SQL stay in the server log.
 */
export const classifyError = (error: GraphQLError): Classified => {
  const original = error.originalError;
  if (original instanceof ApiError)
    return { code: original.code, message: original.message, details: original.details };
  if (isDomainError(original))
    return { code: original.code, message: original.message, details: original.details };
  if (hasCode(original, 'BAD_USER_INPUT') || hasCode(original, 'VALIDATION_FAILED'))
    return { code: 'VALIDATION_FAILED', message: original?.message ?? 'invalid input' };
  // Parse and validation errors (and bad variables) come from graphql-js itself, without a cause.
  if (!original || original instanceof GraphQLError)
    return { code: 'VALIDATION_FAILED', message: error.message };
  return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' };
};

type Coded = { code?: unknown; statusCode?: unknown; errors?: unknown; message?: unknown };

const flatten = (errors: readonly GraphQLError[]): GraphQLError[] =>
  errors.flatMap((error) => {
    // mercurius wraps schema validation failures (depth limit included) in one error holding the list.
    const original = error.originalError as Coded | undefined;
    if (original?.code === 'MER_ERR_GQL_VALIDATION' && Array.isArray(original.errors))
      return original.errors.map((item: unknown) =>
        item instanceof GraphQLError
          ? item
          : new GraphQLError(String((item as Coded).message ?? 'invalid query')),
      );
    return [error];
  });

/** fastify's own request errors (413 body too large, 415, 400 bad JSON) keep their HTTP status. */
const transportStatus = (errors: readonly GraphQLError[]): number | null => {
  const original = errors.length === 1 ? (errors[0]?.originalError as Coded | undefined) : undefined;
  const status = original?.statusCode;
  return typeof original?.code === 'string' &&
    original.code.startsWith('FST_ERR') &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
    ? status
    : null;
};

export type FormattedExecution = {
  statusCode: number;
  response: { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] };
};

export const formatErrors = (
  execution: { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] },
  log: FastifyBaseLogger,
): FormattedExecution => {
  const status = transportStatus(execution.errors ?? []);
  const errors = flatten(execution.errors ?? []).map((error): GraphQLFormattedError => {
    const { code, message, details } =
      status === null
        ? classifyError(error)
        : { code: 'VALIDATION_FAILED' as const, message: error.message, details: undefined };
    if (code === 'INTERNAL_SERVER_ERROR')
      log.error({ err: error.originalError ?? error, path: error.path }, 'resolver failed');
    return {
      message,
      locations: error.locations,
      path: error.path,
      extensions: { code, ...(details && Object.keys(details).length > 0 ? { details } : {}) },
    };
  });
  return { statusCode: status ?? 200, response: { data: execution.data ?? null, errors } };
};
