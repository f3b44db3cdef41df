import { isIPv6 } from 'node:net';
import type { CredentialStore } from '../../credentials/credential-store.js';
import type { SnmpCredential } from '../../credentials/snmp-credential.js';
import { type SnmpSession, snmp } from './snmp-lib.js';

export type SessionTarget = Readonly<{
  address: string;
  port: number;
  credentialRef: string;
  timeoutMs: number;
}>;

export type PooledSession = Readonly<{
  session: SnmpSession;
  /** Undecodable packets the session received since `since` (a malformed reply times out otherwise). */
  malformedSince: (since: number) => boolean;
}>;

type Entry = { pooled: PooledSession; lastMalformedAt: number };

/**
 * Reuses one net-snmp session (one UDP socket) per device and credential. Reuse matters for v3:
 * a new session repeats engine discovery and key localisation on every poll. Bounded LRU, so a
 * fleet of 10,000 devices does not hold 10,000 sockets open.
 */
export class SessionPool {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly credentials: CredentialStore,
    private readonly maxSessions = 1024,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  acquire(target: SessionTarget, credential: SnmpCredential): PooledSession {
    const key = `${target.address}|${target.port}|${target.timeoutMs}|${this.credentials.fingerprint(target.credentialRef)}`;
    const existing = this.#entries.get(key);
    if (existing) {
      // Re-insert: Map iteration order is the LRU order.
      this.#entries.delete(key);
      this.#entries.set(key, existing);
      return existing.pooled;
    }
    const session = createSession(target, credential);
    const entry: Entry = {
      lastMalformedAt: Number.NEGATIVE_INFINITY,
      pooled: { session, malformedSince: (since) => entry.lastMalformedAt >= since },
    };
    // Without a listener an undecodable reply would be thrown as an unhandled 'error' event.
    session.on('error', () => {
      entry.lastMalformedAt = performance.now();
    });
    session.on('close', () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#entries.set(key, entry);
    while (this.#entries.size > this.maxSessions) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#close(oldest);
    }
    return entry.pooled;
  }

  /** Drops a session whose socket misbehaved, so the next poll starts clean. */
  discard(target: SessionTarget): void {
    const key = `${target.address}|${target.port}|${target.timeoutMs}|${this.credentials.fingerprint(target.credentialRef)}`;
    this.#close(key);
  }

  closeAll(): void {
    for (const key of [...this.#entries.keys()]) this.#close(key);
  }

  #close(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    try {
      entry.pooled.session.close();
    } catch {
      // Already closed.
    }
  }
}

const createSession = (target: SessionTarget, credential: SnmpCredential): SnmpSession => {
  const options = {
    port: target.port,
    // One request waits the configured timeout once: a dead device costs one timeout per poll.
    retries: 0,
    timeout: target.timeoutMs,
    transport: isIPv6(target.address) ? ('udp6' as const) : ('udp4' as const),
    backwardsGetNexts: false,
  };
  if (credential.version === 'v2c') {
    return snmp.createSession(target.address, credential.community, { ...options, version: snmp.Version2c });
  }
  return snmp.createV3Session(
    target.address,
    {
      name: credential.user,
      level: snmp.SecurityLevel[credential.level],
      ...(credential.level !== 'noAuthNoPriv' && {
        authProtocol: snmp.AuthProtocols[credential.authProtocol],
        authKey: credential.authKey,
      }),
      ...(credential.level === 'authPriv' && {
        privProtocol: snmp.PrivProtocols[credential.privProtocol],
        privKey: credential.privKey,
      }),
    },
    { ...options, version: snmp.Version3 },
  );
};
