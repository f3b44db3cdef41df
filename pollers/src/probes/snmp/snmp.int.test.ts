import { createSocket } from 'node:dgram';
import { detectBackend } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../credentials/credential-store.js';
import type { SnmpCredential } from '../../credentials/snmp-credential.js';
import { Limiter } from '../../scheduler/limiter.js';
import { type FakeAgent, type FakeAgentMode, startFakeAgent } from '../../testing/fake-agent.js';
import { freeUdpPort, startSnmpd, type TestSnmpd } from '../../testing/snmpd.js';
import type { ProbeOutcome } from '../outcome.js';
import { SnmpProber } from './snmp-prober.js';

let agent: TestSnmpd | undefined;
const snmpd = await detectBackend('snmpd (Debian package snmpd)', async () => {
  agent = await startSnmpd();
});

const v2 = (community: string): SnmpCredential => ({ version: 'v2c', community });

const sendLoopbackTraffic = async (bytes: number): Promise<void> => {
  const sink = createSocket('udp4');
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const port = sink.address().port;
  const sender = createSocket('udp4');
  const chunk = Buffer.alloc(8_000, 0x61);
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    await new Promise<void>((resolve, reject) =>
      sender.send(chunk, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  }
  await new Promise<void>((resolve) => sender.close(resolve));
  await new Promise<void>((resolve) => sink.close(resolve));
};

describe.skipIf(!snmpd.available)('SNMP probe against a real snmpd', () => {
  let credentials: CredentialStore;
  let prober: SnmpProber;
  const settings = (credentialRef: string, version: 'v2c' | 'v3' = 'v2c', timeoutMs = 2_000) => ({
    version,
    port: agent!.port,
    credentialRef,
    timeoutMs,
  });

  beforeAll(() => {
    const a = agent!;
    credentials = new CredentialStore({
      lab: v2(a.community),
      sysonly: v2(a.systemOnlyCommunity),
      wrong: v2('not-the-community-xyz'),
      labv3: {
        version: 'v3',
        user: a.v3.user,
        level: 'authPriv',
        authProtocol: 'sha',
        authKey: a.v3.authKey,
        privProtocol: 'aes',
        privKey: a.v3.privKey,
      },
      badv3: {
        version: 'v3',
        user: a.v3.user,
        level: 'authPriv',
        authProtocol: 'sha',
        authKey: 'wrong-auth-key-1',
        privProtocol: 'aes',
        privKey: 'wrong-priv-key-1',
      },
    });
    prober = new SnmpProber({ credentials, limiter: new Limiter(8) });
  });
  afterAll(async () => {
    prober?.close();
    await agent?.stop();
  });

  it('polls v2c: system group, interfaces, CPU, memory and disks', async () => {
    const outcome = await prober.probe('dev-v2c', '127.0.0.1', settings('lab'));
    expect(outcome.error).toBeNull();
    expect(outcome.reachable).toBe(true);
    const snmp = outcome.snmp!;
    expect(snmp.sysName).toBe(agent!.sysName);
    expect(snmp.sysDescr).toMatch(/Linux/);
    expect(snmp.sysUpTimeSeconds!).toBeGreaterThan(0);
    const lo = snmp.interfaces.find((iface) => iface.name === 'lo');
    expect(lo).toMatchObject({ operStatus: 'up', inBps: null, outBps: null });
    expect(snmp.memoryPct!).toBeGreaterThan(0);
    expect(snmp.memoryPct!).toBeLessThanOrEqual(100);
    expect(snmp.disks.length).toBeGreaterThan(0);
    // hrProcessorLoad needs a minute of samples in a fresh snmpd: present or reported missing.
    if (snmp.cpuPct === null)
      expect(snmp.partialErrors.map((error) => error.code)).toContain('NOT_AVAILABLE');
  });

  it('turns counters that grow over loopback into bits per second, with sysUpTime moving on', async () => {
    const first = await prober.probe('dev-rates', '127.0.0.1', settings('lab'));
    const started = performance.now();
    const bytes = 4_000_000;
    await sendLoopbackTraffic(bytes);
    // snmpd caches interface counters for a few seconds: poll after the cache has expired.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const second = await prober.probe('dev-rates', '127.0.0.1', settings('lab'));
    const seconds = (performance.now() - started) / 1000;
    const before = first.snmp!;
    const after = second.snmp!;
    const lo = after.interfaces.find((iface) => iface.name === 'lo')!;
    expect(lo.inBps!).toBeGreaterThan(0);
    expect(lo.outBps!).toBeGreaterThan(0);
    // At least our own traffic (counted in and out on lo), allowing for snmpd's cache skew.
    expect(lo.inBps!).toBeGreaterThan(((bytes * 8) / seconds) * 0.5);
    expect(lo.inErrors).toBe(0);
    expect(after.sysUpTimeSeconds).toBeGreaterThan(before.sysUpTimeSeconds ?? Number.POSITIVE_INFINITY);
  });

  it('polls v3 authPriv (SHA + AES)', async () => {
    const outcome = await prober.probe('dev-v3', '127.0.0.1', settings('labv3', 'v3'));
    expect(outcome.error).toBeNull();
    expect(outcome.snmp!.sysName).toBe(agent!.sysName);
    expect(outcome.snmp!.interfaces.length).toBeGreaterThan(0);
  });

  it('reports missing tables as partial errors next to the data that came', async () => {
    const outcome = await prober.probe('dev-sysonly', '127.0.0.1', settings('sysonly'));
    expect(outcome.reachable).toBe(true);
    expect(outcome.error).toBeNull();
    expect(outcome.snmp!.sysName).toBe(agent!.sysName);
    expect(outcome.snmp!.interfaces).toEqual([]);
    expect(outcome.snmp!.cpuPct).toBeNull();
    expect(outcome.snmp!.memoryPct).toBeNull();
    const messages = outcome.snmp!.partialErrors.map((error) => `${error.code} ${error.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NOT_AVAILABLE IF-MIB/),
        expect.stringMatching(/^NOT_AVAILABLE HOST-RESOURCES hrProcessorLoad/),
        expect.stringMatching(/^NOT_AVAILABLE HOST-RESOURCES hrStorageTable/),
      ]),
    );
  });

  it('never puts a community or v3 key into an observation or its error', async () => {
    const outcomes: ProbeOutcome[] = [
      await prober.probe('dev-wrong', '127.0.0.1', settings('wrong', 'v2c', 500)),
      await prober.probe('dev-badv3', '127.0.0.1', settings('badv3', 'v3', 1_000)),
      await prober.probe('dev-ok', '127.0.0.1', settings('lab')),
      await prober.probe('dev-ok3', '127.0.0.1', settings('labv3', 'v3')),
    ];
    expect(outcomes[0]!.error?.code).toBe('TIMEOUT');
    // The agent answers a wrong v3 key with a report: it is there, the credentials are not right.
    expect(outcomes[1]!.reachable).toBe(true);
    expect(outcomes[1]!.error).toEqual({
      code: 'SNMP_ERROR',
      message: 'system group: the agent rejected the credentials (authentication, privacy or time window)',
    });
    const text = JSON.stringify(outcomes);
    const secrets = [
      agent!.community,
      agent!.v3.authKey,
      agent!.v3.privKey,
      'not-the-community-xyz',
      'wrong-auth-key-1',
      'wrong-priv-key-1',
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('reports an unresolvable credential reference or a version mismatch without polling', async () => {
    const missing = await prober.probe('dev-x', '127.0.0.1', settings('nope'));
    expect(missing.error).toEqual({
      code: 'PROBE_FAILED',
      message: "credential reference 'nope' is not configured",
    });
    const mismatch = await prober.probe('dev-x', '127.0.0.1', settings('lab', 'v3'));
    expect(mismatch.error?.message).toMatch(/is v2c but the device is set to v3/);
  });
});

describe('SNMP probe against agents that misbehave', () => {
  const credentials = new CredentialStore({ lab: v2('fake-community-1') });
  const prober = new SnmpProber({ credentials, limiter: new Limiter(4) });
  const agents: FakeAgent[] = [];
  const poll = async (mode: FakeAgentMode) => {
    const fake = await startFakeAgent(mode);
    agents.push(fake);
    return prober.probe(`dev-${mode}`, '127.0.0.1', {
      version: 'v2c',
      port: fake.port,
      credentialRef: 'lab',
      timeoutMs: 500,
    });
  };
  afterAll(async () => {
    prober.close();
    await Promise.all(agents.map((fake) => fake.stop()));
  });

  it('a timeout (nothing listening) is an observation with TIMEOUT', async () => {
    const port = await freeUdpPort();
    const outcome = await prober.probe('dev-silent', '127.0.0.1', {
      version: 'v2c',
      port,
      credentialRef: 'lab',
      timeoutMs: 300,
    });
    expect(outcome).toMatchObject({ reachable: false, error: { code: 'TIMEOUT' }, snmp: null });
  });

  it('an error-status reply is an observation with SNMP_ERROR', async () => {
    const outcome = await poll('genErr');
    expect(outcome.reachable).toBe(true);
    expect(outcome.error).toEqual({
      code: 'SNMP_ERROR',
      message: 'system group: agent returned error-status GeneralError',
    });
  });

  it('bytes that are not SNMP are an observation with MALFORMED', async () => {
    const outcome = await poll('garbage');
    expect(outcome.error?.code).toBe('MALFORMED');
  });

  it('values of the wrong type are reported, the rest is kept', async () => {
    const outcome = await poll('wrongTypes');
    expect(outcome.reachable).toBe(true);
    expect(outcome.snmp!.sysUpTimeSeconds).toBeNull();
    expect(outcome.snmp!.sysName).toBe('not-a-number');
    const codes = outcome.snmp!.partialErrors.map((error) => error.code);
    expect(codes).toContain('MALFORMED');
    for (const iface of outcome.snmp!.interfaces) expect(iface.inBps).toBeNull();
    expect(JSON.stringify(outcome)).not.toContain('fake-community-1');
  });
});
