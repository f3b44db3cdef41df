import { createHash } from 'node:crypto';
import { SecretRedactor } from './redactor.js';
import { credentialSecrets, type SnmpCredential } from './snmp-credential.js';

/** `Core-V3.lab` → `core_v3_lab`: the form a reference takes in an environment variable name. */
export const normalizeCredentialRef = (ref: string): string => ref.toLowerCase().replace(/[^a-z0-9]/g, '_');

/**
 * Resolves the `credentialRef` names found in ProbeSettings to configured secrets. The map is fixed
 * for the life of the process: changing a secret means changing configuration and restarting.
 */
export class CredentialStore {
  readonly redactor: SecretRedactor;
  readonly #byRef: ReadonlyMap<string, SnmpCredential>;
  readonly #fingerprints = new Map<string, string>();

  constructor(credentials: Readonly<Record<string, SnmpCredential>>) {
    this.#byRef = new Map(Object.entries(credentials));
    this.redactor = new SecretRedactor([...this.#byRef.values()].flatMap(credentialSecrets));
  }

  /** Exact reference first, then its normalised form (how per-reference environment variables are stored). */
  resolve(ref: string): SnmpCredential | undefined {
    return this.#byRef.get(ref) ?? this.#byRef.get(normalizeCredentialRef(ref));
  }

  refs(): string[] {
    return [...this.#byRef.keys()];
  }

  all(): SnmpCredential[] {
    return [...this.#byRef.values()];
  }

  /** A stable, non-reversible tag of a credential, so pooled sessions can be keyed without the secret. */
  fingerprint(ref: string): string {
    let fingerprint = this.#fingerprints.get(ref);
    if (fingerprint === undefined) {
      const credential = this.resolve(ref);
      fingerprint = createHash('sha256')
        .update(JSON.stringify(credential ?? null))
        .digest('hex')
        .slice(0, 16);
      this.#fingerprints.set(ref, fingerprint);
    }
    return fingerprint;
  }
}
