import { describe, expect, it } from 'vitest';
import { normalizeAppends, validateAppends } from './append-validation.js';
import { testEvent } from './testing/events.js';

const failure = expect.objectContaining({ code: 'VALIDATION_FAILED' });

describe('append validation (before anything is written)', () => {
  it('accepts <category>-<id> streams with UUID event ids', () => {
    expect(() =>
      validateAppends([
        { streamId: 'device-1', expectedVersion: 'any', events: [testEvent('A')] },
        { streamId: 'observations-1f2e', expectedVersion: 0n, events: [testEvent('B'), testEvent('C')] },
      ]),
    ).not.toThrow();
    expect(() => validateAppends([])).not.toThrow();
  });

  it.each([
    ['an empty append', { streamId: 'device-1', expectedVersion: 'any' as const, events: [] }],
    [
      'a stream without category',
      { streamId: 'device', expectedVersion: 'any' as const, events: [testEvent('A')] },
    ],
    [
      'a system stream',
      { streamId: '$$device-1', expectedVersion: 'any' as const, events: [testEvent('A')] },
    ],
    [
      'an upper-case category',
      { streamId: 'Device-1', expectedVersion: 'any' as const, events: [testEvent('A')] },
    ],
    [
      'a non-UUID id',
      { streamId: 'device-1', expectedVersion: 'any' as const, events: [{ ...testEvent('A'), id: 'e-1' }] },
    ],
  ])('rejects %s', (_, append) => {
    expect(() => validateAppends([append])).toThrowError(failure);
  });

  it('rejects an id given twice in one call, whatever its case and stream', () => {
    const id = '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c';
    expect(() =>
      validateAppends([
        { streamId: 'device-1', expectedVersion: 'any', events: [{ ...testEvent('A'), id }] },
        {
          streamId: 'device-2',
          expectedVersion: 'any',
          events: [{ ...testEvent('A'), id: id.toUpperCase() }],
        },
      ]),
    ).toThrowError(failure);
  });

  it('stores ids lower-case', () => {
    const [append] = normalizeAppends([
      {
        streamId: 'device-1',
        expectedVersion: 'any',
        events: [{ ...testEvent('A'), id: 'ABCDEF00-0000-4000-8000-000000000000' }],
      },
    ]);
    expect(append?.events[0]?.id).toBe('abcdef00-0000-4000-8000-000000000000');
  });
});
