/** Codes the API adds to the domain's; clients switch on `extensions.code`. */
export const apiErrorCodes = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'RATE_LIMITED',
  'ILLEGAL_STATE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** An error meant for the client: its message and details are safe to show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const unauthenticated = (message = 'authentication required') =>
  new ApiError('UNAUTHENTICATED', message);
export const forbiddenOperation = (message: string) => new ApiError('FORBIDDEN', message);
export const invalidInput = (message: string, details?: Record<string, unknown>) =>
  new ApiError('VALIDATION_FAILED', message, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError('RATE_LIMITED', `too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
