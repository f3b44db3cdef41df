/**
 * Removes known secrets from text before it reaches a log line, an event or an error message.
 * Messages are built from fixed strings wherever possible; this is the second line of defence for
 * text that comes from a library (net-snmp puts the community into some of its error messages).
 */
export class SecretRedactor {
  static readonly mask = '[redacted]';
  readonly #secrets: string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret that contains another is masked whole.
    this.#secrets = [...new Set(secrets)]
      .filter((secret) => secret.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (result.includes(secret)) result = result.split(secret).join(SecretRedactor.mask);
    }
    return result;
  }

  /** True when the text still carries a secret (used by tests and as a last check before logging). */
  leaks(text: string): boolean {
    return this.#secrets.some((secret) => text.includes(secret));
  }
}
