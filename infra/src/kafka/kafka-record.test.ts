import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { encodeRecord, type RecordInput } from './kafka-record.js';
import { kafkajsEncoding } from './kafkajs-encoding.js';

const require = createRequire(import.meta.url);
const RECORD_MODULE = 'kafkajs/src/protocol/recordBatch/record/v0/index.js';

/** kafkajs's own record encoder, loaded afresh (the cached module may be the replacement). */
const kafkajsRecord = (() => {
  const path = require.resolve(RECORD_MODULE);
  const cached = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as (input: RecordInput) => { buffer: Buffer };
  } finally {
    if (cached) require.cache[path] = cached;
  }
})();

const integrationHeaders = {
  'event-id': '5f0d9100-0000-4000-8000-000000000001',
  'event-type': 'device.observed',
  'schema-version': '1',
  'organization-id': 'org-1',
  'correlation-id': '5f0d9100-0000-4000-8000-000000000002',
};

const shapes: Array<[string, RecordInput]> = [
  ['an integration message', { key: 'dev-1', value: JSON.stringify({ a: 1 }), headers: integrationHeaders }],
  ['defaults only', {}],
  ['null key and value', { key: null, value: null }],
  ['Buffers', { key: Buffer.from([0, 1, 2]), value: Buffer.alloc(300, 7), headers: { h: Buffer.from('x') } }],
  ['empty strings', { key: '', value: '', headers: { '': '' } }],
  ['multi-byte text', { key: 'gerät-ü', value: 'ß→😀'.repeat(50), headers: { 'naïve-ü': 'wert-ö' } }],
  ['repeated header values', { value: 'v', headers: { h: ['1', '22', Buffer.from('333')], z: 'z' } }],
  ['a value past one varint byte', { key: 'k', value: 'x'.repeat(20_000) }],
  ['offset and timestamp deltas', { offsetDelta: 999, timestampDelta: 123_456, value: 'v' }],
  ['negative timestamp delta', { offsetDelta: 64, timestampDelta: -65, value: 'v' }],
  ['deltas past the fast path', { offsetDelta: 3, timestampDelta: 2 ** 33, value: 'v' }],
];

describe('Kafka record encoding', () => {
  it.each(shapes)('gives the bytes kafkajs gives: %s', (_, input) => {
    const expected = kafkajsRecord(input).buffer;
    const fast = encodeRecord(input);
    if (fast) expect(fast.equals(expected)).toBe(true);
    else expect(input.timestampDelta).toBe(2 ** 33);
  });

  it('leaves to kafkajs what kafkajs refuses (an absent header value, a number as value, null headers)', () => {
    expect(encodeRecord({ value: 'v', headers: { h: undefined } })).toBeNull();
    expect(encodeRecord({ value: 5 })).toBeNull();
    expect(encodeRecord({ value: 'v', headers: null })).toBeNull();
    expect(() => kafkajsRecord({ value: 'v', headers: { h: undefined } })).toThrow();
  });

  it('is what kafkajs encodes records and checksums batches with', () => {
    expect(kafkajsEncoding).toEqual({ crc32c: true, records: true });
    const replaced = Symbol.for('netpulse.kafkajs-encoding');
    const checksum = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (bytes: Buffer) => number;
    expect(replaced in checksum).toBe(true);
    expect(checksum(Buffer.from('123456789'))).toBe(crc32c(Buffer.from('123456789')));
    const record = require(RECORD_MODULE) as (input: RecordInput) => { buffer: Buffer };
    expect(replaced in record).toBe(true);
    const input = { key: 'dev-1', value: 'v', headers: integrationHeaders, offsetDelta: 4 };
    expect(record(input).buffer.equals(kafkajsRecord(input).buffer)).toBe(true);
  });
});
