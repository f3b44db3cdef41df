import { describe, expect, it } from 'vitest';
import { credentialEnvName, loadPollerConfig, PollerConfigError, redactedPollerConfig } from './config.js';
import { CredentialStore } from './credentials/credential-store.js';

describe('poller configuration', () => {
  it('has usable defaults', () => {
    const config = loadPollerConfig({});
    expect(config).toMatchObject({
      concurrency: 128,
      icmp: { fpingThreshold: 200 },
      fastRepoll: { intervalSeconds: 5, windowSeconds: 120 },
      traps: { enabled: true, port: 10162 },
      buffer: { capacity: 10_000 },
      credentials: {},
    });
    expect(config.pollerId).toMatch(/^poller-/);
  });

  it('reads every setting from the environment', () => {
    const config = loadPollerConfig({
      NETPULSE_POLLER_ID: 'edge-1',
      NETPULSE_POLLER_CONCURRENCY: '16',
      NETPULSE_FPING_THRESHOLD: '0',
      NETPULSE_TRAP_PORT: '11162',
      NETPULSE_TRAPS_ENABLED: 'false',
      NETPULSE_POLLER_BUFFER_SIZE: '500',
      NETPULSE_FAST_REPOLL_INTERVAL_SECONDS: '3',
      NETPULSE_SNMP_CREDENTIALS: JSON.stringify({ lab: { version: 'v2c', community: 'c0mmunity' } }),
      [credentialEnvName('core-v3')]: JSON.stringify({
        version: 'v3',
        user: 'ops',
        authKey: 'auth-key-123',
        privKey: 'priv-key-123',
      }),
    });
    expect(config).toMatchObject({
      pollerId: 'edge-1',
      concurrency: 16,
      icmp: { fpingThreshold: 0 },
      traps: { enabled: false, port: 11162 },
      buffer: { capacity: 500 },
      fastRepoll: { intervalSeconds: 3 },
    });
    const credentials = new CredentialStore(config.credentials);
    expect(credentials.resolve('lab')).toEqual({ version: 'v2c', community: 'c0mmunity' });
    expect(credentials.resolve('core-v3')).toMatchObject({
      version: 'v3',
      level: 'authPriv',
      authProtocol: 'sha',
      privProtocol: 'aes',
    });
  });

  it('never quotes a secret in a configuration error', () => {
    const secret = 'sup3r-s3cret-community';
    const attempts = [
      { NETPULSE_SNMP_CREDENTIALS: `{"lab": {"version": "v2c", "community": ${secret}}}` },
      { NETPULSE_SNMP_CREDENTIALS: JSON.stringify({ lab: { version: 'v9', community: secret } }) },
      { NETPULSE_SNMP_CREDENTIALS: JSON.stringify({ lab: { version: 'v3', user: 'u', authKey: secret } }) },
      { NETPULSE_SNMP_CREDENTIAL_LAB: secret },
    ];
    for (const env of attempts) {
      let error: unknown;
      try {
        loadPollerConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(PollerConfigError);
      expect(String((error as Error).message)).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
    }
  });

  it('masks secrets for logging', () => {
    const config = loadPollerConfig({
      NETPULSE_SNMP_CREDENTIALS: JSON.stringify({
        a: { version: 'v2c', community: 'c0mmunity' },
        b: { version: 'v3', user: 'ops', authKey: 'auth-key-123', privKey: 'priv-key-123' },
      }),
    });
    const text = JSON.stringify(redactedPollerConfig(config));
    for (const secret of ['c0mmunity', 'auth-key-123', 'priv-key-123']) expect(text).not.toContain(secret);
    expect(text).toContain('ops');
  });
});
