/** Reflected CRC-32C (Castagnoli) polynomial: what Kafka's record batches carry. */
const POLYNOMIAL = 0x82f63b78;

/**
 * Eight lookup tables of 256 entries ("slicing by 8"): table k gives the CRC contribution of a byte
 * that still has k more bytes after it in the current 8-byte block, so one step consumes 8 bytes
 * with 8 independent lookups instead of 8 dependent ones.
 */
const tables = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

/** CRC-32C of `bytes`, unsigned. */
export const crc32c = (bytes: Uint8Array): number => {
  const t = tables;
  let crc = -1;
  let i = 0;
  const blocks = bytes.length - (bytes.length % 8);
  while (i < blocks) {
    crc ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    const b4 = bytes[i + 4]!;
    const b5 = bytes[i + 5]!;
    const b6 = bytes[i + 6]!;
    const b7 = bytes[i + 7]!;
    crc =
      t[1792 + (crc & 0xff)]! ^
      t[1536 + ((crc >>> 8) & 0xff)]! ^
      t[1280 + ((crc >>> 16) & 0xff)]! ^
      t[1024 + (crc >>> 24)]! ^
      t[768 + b4]! ^
      t[512 + b5]! ^
      t[256 + b6]! ^
      t[b7]!;
    i += 8;
  }
  while (i < bytes.length) {
    const byte = bytes[i++]!;
    crc = t[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ -1) >>> 0;
};
