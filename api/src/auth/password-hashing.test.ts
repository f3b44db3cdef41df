import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyNobody, verifyPassword } from './password-hashing.js';

describe('scrypt password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts each hash, so equal passwords hash differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toContain('same password');
  });

  it('treats canonically equal Unicode spellings as one password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait');
    expect(await verifyPassword('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('never matches a malformed or tampered hash', async () => {
    const stored = await hashPassword('password one');
    const parts = stored.split('$');
    expect(await verifyPassword('password one', 'plain text')).toBe(false);
    expect(await verifyPassword('password one', [...parts.slice(0, 5), 'AAAA'].join('$'))).toBe(false);
    // An absurd cost parameter is refused rather than attempted.
    expect(await verifyPassword('password one', ['scrypt', 30, ...parts.slice(2)].join('$'))).toBe(false);
  });

  it('knows when a hash was made with weaker parameters than today’s', async () => {
    const weak = await hashPassword('password one', { log2N: 12, r: 8, p: 1 });
    expect(await verifyPassword('password one', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('password one'))).toBe(false);
  });

  it('spends about as long on an unknown user as on a real verification', async () => {
    const stored = await hashPassword('password one');
    await verifyNobody('warm-up');
    // The fastest of a few runs: robust against a busy machine slowing any single run.
    const fastest = async (work: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let i = 0; i < 4; i++) {
        const started = performance.now();
        await work();
        runs.push(performance.now() - started);
      }
      return Math.min(...runs);
    };
    const real = await fastest(() => verifyPassword('guess', stored));
    const nobody = await fastest(() => verifyNobody('guess'));
    expect(await verifyNobody('password one')).toBe(false);
    expect(nobody / real).toBeGreaterThan(0.4);
    expect(nobody / real).toBeLessThan(2.5);
  });
});
