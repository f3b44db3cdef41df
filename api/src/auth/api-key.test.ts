import { describe, expect, it } from 'vitest';
import { apiKeyHash, apiKeyMatches, generateApiKey, parseApiKey } from './api-key.js';

describe('API keys', () => {
  it('are np_<keyId>_<64 hex> and hash to the SHA-256 of the whole key', () => {
    const { key, secretHash } = generateApiKey('grafana_prod');
    expect(key).toMatch(/^np_grafana_prod_[0-9a-f]{64}$/);
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHash).toBe(apiKeyHash(key));
    expect(secretHash).not.toContain(key.slice(-64));
  });

  it('parse back to their key id, even when the id contains underscores', () => {
    expect(parseApiKey(generateApiKey('grafana_prod').key)).toStrictEqual({ keyId: 'grafana_prod' });
    expect(parseApiKey(generateApiKey('a1b2-c3').key)).toStrictEqual({ keyId: 'a1b2-c3' });
  });

  it('refuse anything malformed without looking anything up', () => {
    const secret = 'a'.repeat(64);
    for (const key of [
      '',
      `xx_key_${secret}`,
      `np__${secret}`,
      `np_key_${'A'.repeat(64)}`,
      `np_key_${secret.slice(1)}`,
      `np_ke y_${secret}`,
      `np_${'k'.repeat(300)}_${secret}`,
    ])
      expect(parseApiKey(key)).toBeNull();
  });

  it('verify against the stored hash: only the exact key matches', () => {
    const { key, secretHash } = generateApiKey('ci');
    expect(apiKeyMatches(key, secretHash)).toBe(true);
    const flipped = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    expect(apiKeyMatches(flipped, secretHash)).toBe(false);
    expect(apiKeyMatches(key, generateApiKey('ci').secretHash)).toBe(false);
    expect(apiKeyMatches(key, 'not hex')).toBe(false);
  });
});
