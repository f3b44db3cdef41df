import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deterministicId, uuidV5 } from './deterministic-id.js';

// RFC 9562 DNS namespace; the example name/UUID pair below is from its appendix.
const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('deterministic ids', () => {
  it('matches the RFC 9562 version 5 example', () => {
    expect(uuidV5('www.example.com', DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('agrees with node:crypto SHA-1 on long multi-block names', () => {
    const name = 'observation'.repeat(50);
    const namespace = Buffer.from(DNS.replaceAll('-', ''), 'hex');
    const digest = createHash('sha1')
      .update(Buffer.concat([namespace, Buffer.from(name)]))
      .digest();
    digest[6] = (digest[6]! & 0x0f) | 0x50;
    digest[8] = (digest[8]! & 0x3f) | 0x80;
    expect(uuidV5(name, DNS).replaceAll('-', '')).toBe(digest.subarray(0, 16).toString('hex'));
  });

  it('gives the same id for the same parts and different ids otherwise', () => {
    expect(deterministicId('cmd-1', 0)).toBe(deterministicId('cmd-1', 0));
    expect(deterministicId('cmd-1', 0)).not.toBe(deterministicId('cmd-1', 1));
    // Parts are separated, so ('a', 'bc') and ('ab', 'c') differ.
    expect(deterministicId('a', 'bc')).not.toBe(deterministicId('ab', 'c'));
  });
});
