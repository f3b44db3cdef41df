/** The typed error codes every layer speaks; the API maps them to `extensions.code`. */
export const domainErrorCodes = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'ILLEGAL_STATE',
  'VERSION_CONFLICT',
  'FORBIDDEN',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new DomainError('VALIDATION_FAILED', message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new DomainError('NOT_FOUND', message, details);
export const illegalState = (message: string, details?: Record<string, unknown>) =>
  new DomainError('ILLEGAL_STATE', message, details);
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new DomainError('FORBIDDEN', message, details);

/** Raised by event stores when an expected version does not hold. */
export class VersionConflictError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: bigint | 'no-stream',
  ) {
    super('VERSION_CONFLICT', `stream ${streamId}: expected version ${expected}, actual ${String(actual)}`, {
      streamId,
      expected,
      actual: String(actual),
    });
  }
}
