import { START } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import {
  compareCheckpoints,
  comparePositions,
  decodeCheckpoint,
  encodeCheckpoint,
  FROM_START,
  isAfter,
} from './checkpoint.js';

describe('EventStoreDB checkpoints', () => {
  it('round-trips a commit/prepare position, beyond 2^53', () => {
    const position = { commit: 18_446_744_073_709_551_615n, prepare: 9_007_199_254_740_993n };
    const token = encodeCheckpoint(position);
    expect(token).toBe('C:18446744073709551615/P:9007199254740993');
    expect(decodeCheckpoint(token)).toEqual(position);
  });

  it('reads START (and no checkpoint) as before the first event', () => {
    expect(decodeCheckpoint(START)).toBe(FROM_START);
    expect(decodeCheckpoint(undefined)).toBe(FROM_START);
  });

  it.each([
    '12:34',
    'C:1/P:x',
    'C:-1/P:0',
    'c:1/p:1',
    'C:1/P:1 ',
    '',
  ])('rejects %j (for example a PostgreSQL token) with a typed error', (token) => {
    expect(() => decodeCheckpoint(token)).toThrowError(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('orders positions by commit, then prepare', () => {
    const a = { commit: 10n, prepare: 10n };
    const b = { commit: 10n, prepare: 20n };
    const c = { commit: 11n, prepare: 5n };
    expect(comparePositions(a, b)).toBe(-1);
    expect(comparePositions(c, b)).toBe(1);
    expect(comparePositions(a, { ...a })).toBe(0);
    expect(isAfter(b, a)).toBe(true);
    expect(isAfter(a, a)).toBe(false);
    expect(isAfter(a, FROM_START)).toBe(true);
  });

  it('compares tokens, START before every position', () => {
    expect(compareCheckpoints('C:10/P:10', 'C:10/P:20')).toBe(-1);
    expect(compareCheckpoints('C:11/P:5', 'C:10/P:20')).toBe(1);
    expect(compareCheckpoints(START, 'C:0/P:0')).toBe(-1);
    expect(compareCheckpoints(START, START)).toBe(0);
  });
});
