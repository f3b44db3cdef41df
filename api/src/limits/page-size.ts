import { invalidInput } from '../graphql/api-error.js';
import type { ApiLimits } from './api-limits.js';

/**
 * The number of items a paginated field may return: the client's `first` (or `limit`), or the
 * field's default when it sent none. Anything above the configured cap is refused, never silently
 * shortened, so a client never mistakes a truncated page for the whole answer.
 */
export const pageSize = (first: number | null | undefined, limits: ApiLimits, fallback = 50): number => {
  const wanted = first ?? Math.min(fallback, limits.maxPageSize);
  if (!Number.isInteger(wanted) || wanted < 1)
    throw invalidInput('first must be a positive integer', { argument: 'first', value: wanted });
  if (wanted > limits.maxPageSize)
    throw invalidInput(`first must not exceed ${limits.maxPageSize}`, {
      argument: 'first',
      value: wanted,
      maxPageSize: limits.maxPageSize,
    });
  return wanted;
};
