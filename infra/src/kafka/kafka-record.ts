/**
 * One record of a Kafka record batch (message format v2), encoded into a single buffer of its exact
 * size. kafkajs 2.2 builds each record from a zero-filled 512-byte encoder per record and per header,
 * a fresh array and Buffer per varint and 64-bit `Long` arithmetic for the timestamp delta: with the
 * integration stream's five headers that was most of the publisher's garbage. The bytes are the
 * same (a test compares them with kafkajs's own encoder for every shape of input it accepts).
 *
 * Record => Length:varint Attributes:int8 TimestampDelta:varlong OffsetDelta:varint
 *           Key:varint-bytes Value:varint-bytes Headers:[HeaderKey:varint-string HeaderValue:varint-bytes]
 */

/** What kafkajs passes for a record (its Record v0 arguments). */
export type RecordInput = Readonly<{
  offsetDelta?: unknown;
  timestampDelta?: unknown;
  key?: unknown;
  value?: unknown;
  headers?: unknown;
}>;

/** The part of kafkajs's Encoder a record batch reads from an encoded record. */
export type EncodedRecord = { buf: Buffer; offset: number };

type Bytes = Buffer | string | null;

/** A varint of a zigzag 32-bit value this small is also the varlong of the same number. */
const SMALL = 2 ** 30;

const isSmallInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > -SMALL && value < SMALL;

const zigzag = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0;

const varintSize = (value: number): number => {
  let unsigned = zigzag(value);
  let size = 1;
  while (unsigned >= 0x80) {
    unsigned >>>= 7;
    size += 1;
  }
  return size;
};

const writeVarint = (buf: Buffer, at: number, value: number): number => {
  let unsigned = zigzag(value);
  let offset = at;
  while (unsigned >= 0x80) {
    buf[offset++] = (unsigned & 0x7f) | 0x80;
    unsigned >>>= 7;
  }
  buf[offset++] = unsigned;
  return offset;
};

/**
 * A key or value as kafkajs takes it: text, a Buffer, or absent (null, undefined). Anything else
 * makes kafkajs throw while sizing the record: undefined here, and kafkajs gets to throw.
 */
const asBytes = (value: unknown): Bytes | undefined =>
  value === null || value === undefined
    ? null
    : typeof value === 'string' || Buffer.isBuffer(value)
      ? value
      : undefined;

const lengthOf = (bytes: Bytes): number =>
  bytes === null ? -1 : typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.length;

const writeBytes = (buf: Buffer, at: number, bytes: Bytes, length: number): number => {
  const offset = writeVarint(buf, at, length);
  if (bytes === null) return offset;
  if (typeof bytes === 'string') buf.write(bytes, offset, length, 'utf8');
  else bytes.copy(buf, offset);
  return offset + length;
};

/**
 * The record's bytes, or null when the input is of a shape left to kafkajs: a delta past ±2^30, a
 * key, value or header value that is neither text nor a Buffer (kafkajs refuses an absent header
 * value, and anything else but an absent key or value), null headers.
 */
export const encodeRecord = (input: RecordInput): Buffer | null => {
  const offsetDelta = input.offsetDelta ?? 0;
  const timestampDelta = input.timestampDelta ?? 0;
  if (!isSmallInt(offsetDelta) || !isSmallInt(timestampDelta)) return null;
  const key = asBytes(input.key);
  const value = asBytes(input.value);
  if (key === undefined || value === undefined) return null;
  const keyLength = lengthOf(key);
  const valueLength = lengthOf(value);
  // Headers: name → value, or name → values (one header each, in order).
  const names: string[] = [];
  const values: Bytes[] = [];
  const lengths: number[] = [];
  // kafkajs defaults absent headers to none and fails on null ones: null goes to kafkajs.
  if (input.headers === null) return null;
  const headers = (input.headers ?? {}) as Record<string, unknown>;
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const entry = headers[name];
    for (const one of Array.isArray(entry) ? entry : [entry]) {
      const bytes = asBytes(one);
      if (bytes === undefined || bytes === null) return null;
      names.push(name);
      values.push(bytes);
      lengths.push(lengthOf(bytes));
    }
  }
  let bodySize =
    1 +
    varintSize(timestampDelta) +
    varintSize(offsetDelta) +
    varintSize(keyLength) +
    Math.max(0, keyLength) +
    varintSize(valueLength) +
    Math.max(0, valueLength) +
    varintSize(names.length);
  const nameLengths: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const nameLength = Buffer.byteLength(names[i]!, 'utf8');
    nameLengths.push(nameLength);
    bodySize += varintSize(nameLength) + nameLength + varintSize(lengths[i]!) + Math.max(0, lengths[i]!);
  }
  // Not zero-filled: every byte is written below. Small enough to come from Node's buffer pool.
  const buf = Buffer.allocUnsafe(varintSize(bodySize) + bodySize);
  let at = writeVarint(buf, 0, bodySize);
  buf[at++] = 0;
  at = writeVarint(buf, at, timestampDelta);
  at = writeVarint(buf, at, offsetDelta);
  at = writeBytes(buf, at, key, keyLength);
  at = writeBytes(buf, at, value, valueLength);
  at = writeVarint(buf, at, names.length);
  for (let i = 0; i < names.length; i++) {
    at = writeVarint(buf, at, nameLengths[i]!);
    at += buf.write(names[i]!, at, nameLengths[i]!, 'utf8');
    at = writeBytes(buf, at, values[i]!, lengths[i]!);
  }
  return buf;
};
