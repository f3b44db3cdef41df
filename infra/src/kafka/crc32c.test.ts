import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

const require = createRequire(import.meta.url);
const CRC_MODULE = 'kafkajs/src/protocol/recordBatch/crc32C/crc32C.js';

describe('crc32c', () => {
  it('gives the CRC-32C check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it("agrees with kafkajs's own implementation for every length around the 8-byte steps", () => {
    const kafkajs = require(CRC_MODULE) as (bytes: Uint8Array) => number;
    for (let length = 0; length < 300; length++) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes)).toBe(kafkajs(bytes) >>> 0);
      // A view into a larger buffer (how encoders hand over their bytes) reads only its own bytes.
      const inside = Buffer.concat([randomBytes(3), bytes, randomBytes(5)]).subarray(3, 3 + length);
      expect(crc32c(inside)).toBe(crc32c(bytes));
    }
  });
});
