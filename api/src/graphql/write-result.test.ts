import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { expectedVersionOption, toWriteResult } from './write-result.js';

describe('write result', () => {
  it('reports the stream, its new version and the events written', () => {
    const events = [{ type: 'RoleGranted', data: {} }];
    expect(toWriteResult({ streamId: 'organization-a', events, version: 4n })).toStrictEqual({
      streamId: 'organization-a',
      version: 4n,
      eventsWritten: 1,
    });
    expect(toWriteResult({ streamId: 'organization-a', events: [], version: 4n }).eventsWritten).toBe(0);
  });

  it('refuses to invent a version for a stream that still does not exist', () => {
    expect(() => toWriteResult({ streamId: 'device-x', events: [], version: null })).toThrow(ApiError);
  });

  it('passes expectedVersion to the bus only when the client sent one', () => {
    expect(expectedVersionOption(undefined)).toStrictEqual({});
    expect(expectedVersionOption(null)).toStrictEqual({});
    expect(expectedVersionOption(0n)).toStrictEqual({ expectedVersion: 0n });
  });
});
