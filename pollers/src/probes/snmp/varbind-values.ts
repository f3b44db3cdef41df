import { isVarbindError, ObjectTypes, type Varbind } from './snmp-lib.js';

/**
 * Typed reads of varbind values. An agent can send anything: each reader returns null when the
 * syntax is not the one the MIB defines, and the caller reports that as MALFORMED instead of
 * trusting a number that is not one.
 */
const INTEGER_TYPES: ReadonlySet<number> = new Set([
  ObjectTypes.Integer,
  ObjectTypes.Counter,
  ObjectTypes.Gauge,
  ObjectTypes.TimeTicks,
]);

export const readInteger = (varbind: Varbind | undefined): number | null => {
  if (!varbind || isVarbindError(varbind) || !INTEGER_TYPES.has(varbind.type)) return null;
  return typeof varbind.value === 'number' && Number.isFinite(varbind.value) ? varbind.value : null;
};

/** Counter32 (number) or Counter64 (net-snmp hands those over as big-endian Buffers) as a bigint. */
export const readCounter = (varbind: Varbind | undefined): bigint | null => {
  if (!varbind || isVarbindError(varbind)) return null;
  if (varbind.type === ObjectTypes.Counter64) {
    const value = varbind.value;
    if (!Buffer.isBuffer(value) || value.length === 0 || value.length > 9) return null;
    let result = 0n;
    for (const byte of value) result = (result << 8n) | BigInt(byte);
    // A 9-byte encoding only carries a leading sign byte; anything above 2^64 is not a Counter64.
    return result < 1n << 64n ? result : null;
  }
  if (varbind.type === ObjectTypes.Counter || varbind.type === ObjectTypes.Gauge) {
    const value = varbind.value;
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? BigInt(value) : null;
  }
  return null;
};

export const counterBits = (varbind: Varbind | undefined): 32 | 64 =>
  varbind?.type === ObjectTypes.Counter64 ? 64 : 32;

/** An OCTET STRING as text: NUL padding and control characters dropped, length capped. */
export const readText = (varbind: Varbind | undefined, maxLength: number): string | null => {
  if (!varbind || isVarbindError(varbind) || varbind.type !== ObjectTypes.OctetString) return null;
  const value = varbind.value;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : null;
  if (text === null) return null;
  return stripControlCharacters(text).trim().slice(0, maxLength);
};

/** Drops C0 control characters (but tab, newline, CR) and DEL: they have no place in a name. */
const stripControlCharacters = (text: string): string => {
  let result = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) continue;
    result += char;
  }
  return result;
};

export const readOid = (varbind: Varbind | undefined): string | null => {
  if (!varbind || isVarbindError(varbind) || varbind.type !== ObjectTypes.OID) return null;
  return typeof varbind.value === 'string' && /^\d+(\.\d+)*$/.test(varbind.value) ? varbind.value : null;
};
