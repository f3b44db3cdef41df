import type { z } from 'zod';
import { validationFailed } from './errors.js';

export type ValidationIssue = Readonly<{ path: readonly (string | number)[]; code: string; message: string }>;

/** Zod issues as plain, serialisable data, so they survive the trip to an API error's `details`. */
export const toValidationIssues = (error: z.ZodError): readonly ValidationIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    code: issue.code,
    message: issue.message,
  }));

/** Parses untrusted input; a failure becomes the VALIDATION_FAILED every layer understands. */
export const parseWith = <S extends z.ZodType>(
  schema: S,
  input: unknown,
  message = 'invalid input',
): z.output<S> => {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(message, { issues: toValidationIssues(result.error) });
  return result.data;
};
