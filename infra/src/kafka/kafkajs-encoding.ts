import { createRequire } from 'node:module';
import { crc32c } from './crc32c.js';
import { type EncodedRecord, encodeRecord, type RecordInput } from './kafka-record.js';

const require = createRequire(import.meta.url);

/** kafkajs 2.2's modules replaced here, and the modules that take them when first loaded. */
const CRC_MODULE = 'kafkajs/src/protocol/recordBatch/crc32C/index.js';
const RECORD_BATCH_MODULE = 'kafkajs/src/protocol/recordBatch/v0/index.js';
const RECORD_MODULE = 'kafkajs/src/protocol/recordBatch/record/v0/index.js';
const PRODUCE_MODULE = 'kafkajs/src/protocol/requests/produce/v3/request.js';
const ENCODER_MODULE = 'kafkajs/src/protocol/encoder.js';

type KafkajsRecord = (input: RecordInput) => EncodedRecord;

/** Marks the replacements, which stay in kafkajs's module cache for the life of the process. */
const REPLACED = Symbol.for('netpulse.kafkajs-encoding');

/**
 * Replaces the exports of one kafkajs module in the CommonJS cache, before `user` (the only module
 * that requires it, lazily, at the first produce or fetch) has taken them. False when too late or
 * when kafkajs's files are not where version 2.2 keeps them: kafkajs then keeps its own.
 */
const replaceModule = <T extends object>(
  path: string,
  user: string,
  replacement: (original: T) => T,
): boolean => {
  try {
    const modulePath = require.resolve(path);
    const userPath = require.resolve(user);
    const original = require(modulePath) as T;
    const cached = require.cache[modulePath];
    if (!cached) return false;
    // This module evaluated again in the same process (test runners re-run modules, not kafkajs).
    if (REPLACED in original) return true;
    if (require.cache[userPath]) return false;
    cached.exports = Object.assign(replacement(original), { [REPLACED]: true });
    return true;
  } catch {
    return false;
  }
};

/**
 * The publisher's CPU went mostly into kafkajs encoding produce requests (a profile of 60,000
 * events: its byte-at-a-time CRC-32C 22 % of the busy time, buffers and garbage of its per-record
 * and per-header encoders another 30 %). kafkajs has no option for either, and 2.2 is its last
 * release; so two of its modules are swapped for functions that give the same bytes (tests compare
 * them with kafkajs's own): the record-batch checksum, and the record encoder (one buffer of the
 * exact size per record; inputs of another shape still go to kafkajs's encoder). Runs once, when
 * this module is first imported, which the publisher's module does before any producer exists.
 */
export const kafkajsEncoding = {
  crc32c: replaceModule<(bytes: Uint8Array) => number>(
    CRC_MODULE,
    RECORD_BATCH_MODULE,
    () => (bytes) => crc32c(bytes),
  ),
  records: replaceModule<KafkajsRecord>(RECORD_MODULE, PRODUCE_MODULE, (original) => {
    const Encoder = require(ENCODER_MODULE) as { prototype: object };
    return (input) => {
      const buf = encodeRecord(input);
      if (!buf) return original(input);
      const encoded = Object.create(Encoder.prototype) as EncodedRecord;
      encoded.buf = buf;
      encoded.offset = buf.length;
      return encoded;
    };
  }),
} as const;
