import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { VersionConflictError } from '@netpulse/domain';
import { describe, expect, it } from 'vitest';
import {
  expectationHolds,
  fromEsdbRevision,
  isStreamNotFound,
  isWrongExpectedVersion,
  toEsdbExpectedRevision,
  versionConflict,
  writeRevision,
} from './expected-version.js';

describe('expected versions on EventStoreDB', () => {
  it('maps the port expectations to ESDB expected revisions', () => {
    expect(toEsdbExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
  });

  it('sends exact expectations as given and pins any/exists to the revision read', () => {
    expect(writeRevision(3n, 3n)).toBe(3n);
    expect(writeRevision('no-stream', null)).toBe(NO_STREAM);
    expect(writeRevision('any', null)).toBe(NO_STREAM);
    expect(writeRevision('any', 7n)).toBe(7n);
    expect(writeRevision('exists', 0n)).toBe(0n);
  });

  it('checks an expectation against the current revision', () => {
    expect(expectationHolds('any', null)).toBe(true);
    expect(expectationHolds('no-stream', null)).toBe(true);
    expect(expectationHolds('no-stream', 0n)).toBe(false);
    expect(expectationHolds('exists', null)).toBe(false);
    expect(expectationHolds('exists', 0n)).toBe(true);
    expect(expectationHolds(2n, 2n)).toBe(true);
    expect(expectationHolds(2n, 3n)).toBe(false);
    expect(expectationHolds(0n, null)).toBe(false);
    expect(expectationHolds(-1n, null)).toBe(false);
  });

  it('hides ESDB quirks in current revisions: no_stream and -1 both mean absent', () => {
    expect(fromEsdbRevision('no_stream')).toBeNull();
    expect(fromEsdbRevision(-1n)).toBeNull();
    expect(fromEsdbRevision(undefined)).toBeNull();
    expect(fromEsdbRevision(0n)).toBe(0n);
  });

  it('turns a conflict into the domain error with 0-based versions', () => {
    const error = versionConflict('device-1', 'no-stream', 4n);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ code: 'VERSION_CONFLICT', expected: 'no-stream', actual: 4n });
    expect(versionConflict('device-1', 3n, null)).toMatchObject({ expected: '3', actual: 'no-stream' });
  });

  it('recognises the client errors it handles', () => {
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 's-1', expected: 1n, current: 2n });
    expect(isWrongExpectedVersion(wrong)).toBe(true);
    expect(isWrongExpectedVersion(new Error('wrong expected version'))).toBe(false);
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 's-1'))).toBe(true);
    expect(isStreamNotFound(wrong)).toBe(false);
    expect(isStreamNotFound('stream-not-found')).toBe(false);
  });
});
