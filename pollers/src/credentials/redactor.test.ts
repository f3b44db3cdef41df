import { describe, expect, it } from 'vitest';
import { SecretRedactor } from './redactor.js';

describe('SecretRedactor', () => {
  it('masks every occurrence of every secret, longest first', () => {
    const redactor = new SecretRedactor(['public', 'public-long']);
    const text = "Community 'public-long' in request does not match community 'public'";
    expect(redactor.redact(text)).toBe(
      "Community '[redacted]' in request does not match community '[redacted]'",
    );
    expect(redactor.leaks(text)).toBe(true);
    expect(redactor.leaks(redactor.redact(text))).toBe(false);
  });
});
