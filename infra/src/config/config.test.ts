import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to the embedded profile on port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, eventStore: 'postgres' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('chooses EventStoreDB when its URL is given', () => {
    expect(loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }).eventStore).toBe('eventstoredb');
  });

  it('names every invalid variable in one error', () => {
    expect(() => loadConfig({ PORT: '99999', LOG_LEVEL: 'loud' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: '99999', LOG_LEVEL: 'loud' })).toThrowError(
      /PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/,
    );
  });

  it('refuses EVENT_STORE=eventstoredb without a URL', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrowError(/EVENTSTORE_URL/);
  });

  it('has caught-up projectors read new events at once unless told to let them gather', () => {
    expect(loadConfig({}).NETPULSE_PROJECTOR_GATHER_MS).toBe(0);
    expect(loadConfig({ NETPULSE_PROJECTOR_GATHER_MS: '20' }).NETPULSE_PROJECTOR_GATHER_MS).toBe(20);
    expect(() => loadConfig({ NETPULSE_PROJECTOR_GATHER_MS: '-1' })).toThrowError(
      /NETPULSE_PROJECTOR_GATHER_MS/,
    );
  });

  it('runs several API processes only with Redis to share the live feed and rate limits', () => {
    expect(loadConfig({}).API_WORKERS).toBe(1);
    expect(() => loadConfig({ API_WORKERS: '2' })).toThrowError(/API_WORKERS[\s\S]*REDIS_URL/);
    expect(loadConfig({ API_WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }).API_WORKERS).toBe(2);
    expect(() => loadConfig({ API_WORKERS: '0' })).toThrowError(/API_WORKERS/);
  });

  it('validates the poller section with the rest and never echoes an SNMP secret', () => {
    expect(loadConfig({ NETPULSE_TRAP_PORT: '10999' }).poller.traps.port).toBe(10_999);
    const secret = 'c0mmunity-s3cret';
    const attempt = () =>
      loadConfig({
        NETPULSE_SNMP_CREDENTIALS: JSON.stringify({ core: { version: 'v9', community: secret } }),
      });
    expect(attempt).toThrowError(ConfigError);
    expect(() => attempt()).not.toThrowError(new RegExp(secret));
  });

  it('validates the reactors section and names a bad threshold', () => {
    expect(loadConfig({ NETPULSE_HEALTH_FAILURES_DOWN: '5' }).reactor.health.failuresToDown).toBe(5);
    expect(() => loadConfig({ NETPULSE_HEALTH_FAILURES_DOWN: 'many' })).toThrowError(
      /NETPULSE_HEALTH_FAILURES_DOWN/,
    );
  });

  it('never describes a password', () => {
    const described = describeConfig(loadConfig({ DATABASE_URL: 'postgres://np:s3cret@db:5432/np' }));
    expect(JSON.stringify(described)).not.toContain('s3cret');
    expect(described.database).toBe('postgres://np:***@db:5432/np');
  });
});
