import type { CopyValue } from './copy-text.js';

/** Column types the binary encoder writes; anything else goes through COPY's text format. */
export type BinaryType = 'text' | 'boolean' | 'integer' | 'float8' | 'timestamptz';
export const binaryTypes: ReadonlySet<string> = new Set<BinaryType>([
  'text',
  'boolean',
  'integer',
  'float8',
  'timestamptz',
]);

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
// Only stamps Date.parse reads exactly (UTC, at most millisecond digits); PostgreSQL would keep
// microseconds that Date.parse drops, so anything else is left to the text format.
const MILLISECOND_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

// Strings up to this length are copied code unit by code unit while they are ASCII: for the short
// keys and names of metric rows, the native UTF-8 encoder's call cost more than the copy itself.
const SHORT_TEXT = 64;

/**
 * A growable buffer with the big-endian writes COPY's binary format needs. It writes through a
 * DataView, which the optimizing compiler inlines; Buffer's own write methods check their
 * arguments on every call (a 13,000-row batch of interface samples took ~1 µs a row before).
 */
class Writer {
  buffer: Buffer;
  view: DataView;
  at = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  }

  reserve(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(next, 0, 0, this.at);
    this.buffer = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  int16(value: number): void {
    this.reserve(2);
    this.view.setInt16(this.at, value);
    this.at += 2;
  }

  int32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.at, value);
    this.at += 4;
  }

  bytes(source: Buffer): void {
    this.reserve(source.length);
    this.at += source.copy(this.buffer, this.at);
  }

  /** Length-prefixed UTF-8: the prefix is written once the encoded length is known. */
  text(value: string): void {
    const units = value.length;
    this.reserve(4 + units * 3);
    const start = this.at + 4;
    let length = 0;
    if (units <= SHORT_TEXT) {
      const buffer = this.buffer;
      while (length < units) {
        const unit = value.charCodeAt(length);
        if (unit > 0x7f) break;
        buffer[start + length++] = unit;
      }
    }
    if (length < units) length = this.buffer.write(value, start, 'utf8');
    this.view.setInt32(this.at, length);
    this.at = start + length;
  }

  float8(value: number): void {
    this.reserve(12);
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, value);
    this.at += 12;
  }

  int64(value: number): void {
    const high = Math.floor(value / TWO_32);
    this.reserve(12);
    this.view.setInt32(this.at, 8);
    this.view.setInt32(this.at + 4, high);
    this.view.setUint32(this.at + 8, value - high * TWO_32);
    this.at += 12;
  }
}

/** Marks a value the binary format would not store exactly as the text format does. */
class NotBinary extends Error {}

/**
 * Rows in COPY's binary format, or null when a value needs the text format to be stored exactly as
 * the JSON paths store it. No number or time is turned into text and parsed back: the float8 is
 * written as it is, the time as microseconds.
 */
export const copyBinary = (
  types: readonly BinaryType[],
  rows: readonly (readonly CopyValue[])[],
): Buffer | null => {
  const writer = new Writer(Math.max(1_024, rows.length * 24 * types.length));
  const times = new Map<string, number>();
  const micros = (stamp: string): number => {
    let value = times.get(stamp);
    if (value === undefined) {
      const ms = MILLISECOND_UTC.test(stamp) ? Date.parse(stamp) : Number.NaN;
      if (Number.isNaN(ms)) throw new NotBinary();
      value = (ms - POSTGRES_EPOCH_MS) * 1_000;
      times.set(stamp, value);
    }
    return value;
  };
  try {
    writer.bytes(SIGNATURE);
    writer.int32(0);
    writer.int32(0);
    for (const row of rows) {
      writer.int16(types.length);
      for (let c = 0; c < types.length; c++) {
        const value = row[c] ?? null;
        if (value === null) {
          writer.int32(-1);
          continue;
        }
        switch (types[c]) {
          case 'text':
            if (typeof value !== 'string') throw new NotBinary();
            writer.text(value);
            break;
          case 'boolean':
            if (typeof value !== 'boolean') throw new NotBinary();
            writer.int32(1);
            writer.reserve(1);
            writer.buffer[writer.at++] = value ? 1 : 0;
            break;
          case 'integer':
            if (typeof value !== 'number' || !Number.isInteger(value) || value !== (value | 0))
              throw new NotBinary();
            writer.int32(4);
            writer.int32(value);
            break;
          case 'float8':
            if (typeof value !== 'number' || !Number.isFinite(value)) throw new NotBinary();
            // JSON writes -0 as 0, so every other path stores +0.
            writer.float8(value === 0 ? 0 : value);
            break;
          case 'timestamptz':
            if (typeof value !== 'string') throw new NotBinary();
            writer.int64(micros(value));
            break;
        }
      }
    }
    writer.int16(-1);
  } catch (error) {
    if (error instanceof NotBinary) return null;
    throw error;
  }
  return writer.buffer.subarray(0, writer.at);
};
