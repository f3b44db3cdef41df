import { START } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import { BEFORE_ALL, compareCheckpoints, decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

describe('PostgreSQL checkpoints', () => {
  it('round-trips a position', () => {
    const position = { transactionId: 9_007_199_254_740_993n, globalPosition: 42n };
    expect(decodeCheckpoint(encodeCheckpoint(position))).toEqual(position);
  });

  it('reads START as before the first event', () => {
    expect(decodeCheckpoint(START)).toEqual(BEFORE_ALL);
  });

  it('rejects a token from another adapter with a typed error', () => {
    expect(() => decodeCheckpoint('C:12/P:12')).toThrowError(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('orders by transaction id numerically, then position', () => {
    expect(compareCheckpoints('99999:7', '100000:1')).toBe(-1);
    expect(compareCheckpoints('5:9', '5:10')).toBe(-1);
    expect(compareCheckpoints('5:10', '5:10')).toBe(0);
    expect(compareCheckpoints(START, '1:1')).toBe(-1);
  });
});
