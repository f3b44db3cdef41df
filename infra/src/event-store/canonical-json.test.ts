import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":"x","z":null}]},"b":1}',
    );
  });

  it('writes bigint and Date as strings and escapes like JSON', () => {
    expect(canonicalJson({ v: 12n, at: new Date('2026-01-02T03:04:05.000Z'), s: 'a"b\n' })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","s":"a\\"b\\n","v":"12"}',
    );
  });

  it('is what JSON.parse reads back to an equal value', () => {
    const value = { n: 1.5, list: [true, false], nested: { k: 'v' } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
