import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { detectBackend } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Limiter } from '../../scheduler/limiter.js';
import { checkNamespaces, createNamespace, type TestNamespace } from '../../testing/netns.js';
import { runFping } from './fping-batch.js';
import { IcmpProber } from './icmp-prober.js';
import { pingProbe } from './ping-probe.js';

const run = promisify(execFile);
const settings = { packets: 3, timeoutMs: 1_000 };

const ping = await detectBackend('system ping (iputils-ping)', () =>
  run('ping', ['-n', '-c', '1', '-W', '1', '127.0.0.1']),
);
const ping6 = await detectBackend('IPv6 loopback', () =>
  run('ping', ['-n', '-6', '-c', '1', '-W', '1', '::1']),
);
const fping = await detectBackend('fping', () => run('fping', ['-v']));
const namespaces = await detectBackend('network namespaces (root, iproute2)', checkNamespaces);

describe.skipIf(!ping.available)('ICMP probe through the ping package', () => {
  it('measures 127.0.0.1: every packet answered, round-trip statistics', async () => {
    const outcome = await pingProbe('127.0.0.1', settings);
    expect(outcome.reachable).toBe(true);
    expect(outcome.error).toBeNull();
    const icmp = outcome.icmp!;
    expect(icmp).toMatchObject({ sent: 3, received: 3, lossPct: 0 });
    expect(icmp.rttMinMs!).toBeGreaterThan(0);
    expect(icmp.rttMinMs!).toBeLessThanOrEqual(icmp.rttAvgMs!);
    expect(icmp.rttAvgMs!).toBeLessThanOrEqual(icmp.rttMaxMs!);
    expect(icmp.jitterMs!).toBeGreaterThanOrEqual(0);
    // 3 packets 0.2 s apart: well under the default 1 s spacing.
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it.skipIf(!ping6.available)('measures ::1 over IPv6', async () => {
    const outcome = await pingProbe('::1', settings);
    expect(outcome.reachable).toBe(true);
    expect(outcome.icmp).toMatchObject({ sent: 3, received: 3 });
  });
});

describe.skipIf(!fping.available)('ICMP through fping batches', () => {
  it('probes many loopback addresses with one process', async () => {
    const targets = Array.from({ length: 40 }, (_, i) => `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const result = await runFping({
      fpingPath: 'fping',
      family: 'ipv4',
      targets,
      packets: 3,
      timeoutMs: 1_000,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rtts.size).toBe(40);
    for (const rtts of result.rtts.values()) expect(rtts.every((rtt) => rtt !== null)).toBe(true);
  });

  it('batches when the fleet reaches the threshold, and answers each probe', async () => {
    const prober = new IcmpProber({
      limiter: new Limiter(4),
      fpingPath: 'fping',
      fpingThreshold: 10,
      batchMaxTargets: 16,
      batchLingerMs: 50,
    });
    await prober.detect();
    prober.setFleetSize(50);
    expect(prober.mode).toBe('fping');
    const addresses = [...Array.from({ length: 49 }, (_, i) => `127.1.0.${i + 1}`), '::1'];
    const outcomes = await Promise.all(addresses.map((address) => prober.probe(address, settings)));
    for (const outcome of outcomes) {
      expect(outcome.reachable).toBe(true);
      expect(outcome.icmp).toMatchObject({ sent: 3, received: 3, lossPct: 0 });
    }
    prober.setFleetSize(5);
    expect(prober.mode).toBe('ping');
  });
});

describe.skipIf(!ping.available || !namespaces.available)('ICMP to a host in a network namespace', () => {
  let ns: TestNamespace | undefined;
  beforeAll(async () => {
    ns = await createNamespace();
  });
  afterAll(async () => {
    await ns?.destroy();
  });

  it('sees the host up, then loses it when its link goes down, then sees it back', async () => {
    const host = ns!;
    await host.assertContained();
    const up = await pingProbe(host.peerAddress, settings);
    expect(up.reachable).toBe(true);
    expect(up.icmp).toMatchObject({ received: 3, lossPct: 0 });

    await host.linkDown();
    await host.assertContained();
    const down = await pingProbe(host.peerAddress, settings);
    expect(down.reachable).toBe(false);
    expect(down.icmp).toMatchObject({ received: 0, lossPct: 100 });
    expect(['TIMEOUT', 'UNREACHABLE']).toContain(down.error?.code);

    if (fping.available) {
      await host.assertContained();
      const batch = await runFping({
        fpingPath: 'fping',
        family: 'ipv4',
        targets: ['127.0.0.1', host.peerAddress],
        packets: 3,
        timeoutMs: 500,
      });
      expect(batch.ok).toBe(true);
      if (batch.ok) {
        expect(batch.rtts.get('127.0.0.1')!.every((rtt) => rtt !== null)).toBe(true);
        expect(batch.rtts.get(host.peerAddress)).toEqual([null, null, null]);
      }
    }

    await host.linkUp();
    await host.assertContained();
    // The neighbour entry may need a moment after the link returns: a bounded retry.
    let back = await pingProbe(host.peerAddress, settings);
    for (let attempt = 0; attempt < 5 && !back.reachable; attempt += 1)
      back = await pingProbe(host.peerAddress, settings);
    expect(back.reachable).toBe(true);
  });
});
