import { describe, expect, it } from 'vitest';
import { ApiError } from '../graphql/api-error.js';
import type { ApiLimits } from './api-limits.js';
import { pageSize } from './page-size.js';

const limits: ApiLimits = { maxDepth: 8, maxCost: 5_000, maxPageSize: 200, subscriptionQueueLimit: 100 };

const refusal = (first: number) => {
  try {
    pageSize(first, limits);
  } catch (error) {
    return error instanceof ApiError ? [error.code, error.details] : error;
  }
  return 'accepted';
};

describe('page size', () => {
  it('takes the client’s first up to the cap, or the field’s default', () => {
    expect(pageSize(200, limits)).toBe(200);
    expect(pageSize(1, limits)).toBe(1);
    expect(pageSize(undefined, limits)).toBe(50);
    expect(pageSize(null, limits, 20)).toBe(20);
    expect(pageSize(undefined, { ...limits, maxPageSize: 10 })).toBe(10);
  });

  it('refuses a page above the cap instead of shortening it silently', () => {
    expect(refusal(201)).toStrictEqual([
      'VALIDATION_FAILED',
      { argument: 'first', value: 201, maxPageSize: 200 },
    ]);
  });

  it('refuses zero, negative and fractional sizes', () => {
    for (const first of [0, -1, 2.5]) expect((refusal(first) as unknown[])[0]).toBe('VALIDATION_FAILED');
  });
});
