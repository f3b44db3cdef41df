import { describe, expect, it } from 'vitest';
import { parseFpingOutput } from './fping-output.js';
import { icmpResult } from './icmp-stats.js';
import { outcomeFromPing } from './ping-probe.js';

describe('icmpResult', () => {
  it('computes loss, min/avg/max and jitter', () => {
    expect(icmpResult(4, [1, 3, null, 2])).toEqual({
      sent: 4,
      received: 3,
      lossPct: 25,
      rttMinMs: 1,
      rttAvgMs: 2,
      rttMaxMs: 3,
      jitterMs: 1.5,
    });
  });
  it('has no round-trip figures when nothing came back', () => {
    expect(icmpResult(3, [null, null, null])).toMatchObject({
      received: 0,
      lossPct: 100,
      rttAvgMs: null,
      jitterMs: null,
    });
  });
  it('has zero jitter for a single reply', () => {
    expect(icmpResult(1, [0.5]).jitterMs).toBe(0);
  });
});

describe('parseFpingOutput', () => {
  it('reads per-target round trips, with - for lost packets', () => {
    const output = '127.0.0.1   : 0.03 0.04 0.05\n10.0.0.2    : - 1.20 -\n::1 : 0.02 0.02 0.03\nnoise line\n';
    const parsed = parseFpingOutput(output, 3);
    expect(parsed.get('127.0.0.1')).toEqual([0.03, 0.04, 0.05]);
    expect(parsed.get('10.0.0.2')).toEqual([null, 1.2, null]);
    expect(parsed.get('::1')).toEqual([0.02, 0.02, 0.03]);
    expect(parsed.size).toBe(3);
  });
});

describe('outcomeFromPing', () => {
  it('reads a clean run', () => {
    const output = [
      'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.',
      '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.040 ms',
      '64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.060 ms',
      '',
      '--- 127.0.0.1 ping statistics ---',
      '2 packets transmitted, 2 received, 0% packet loss, time 201ms',
    ].join('\n');
    const outcome = outcomeFromPing(output, [0.04, 0.06], 2, 205);
    expect(outcome.reachable).toBe(true);
    expect(outcome.icmp).toMatchObject({ sent: 2, received: 2, lossPct: 0, rttMinMs: 0.04, rttMaxMs: 0.06 });
  });

  it('tells an unreachable destination from a silent one', () => {
    const unreachable =
      'From 10.0.0.1 icmp_seq=1 Destination Host Unreachable\n3 packets transmitted, 0 received, +3 errors, 100% packet loss';
    expect(outcomeFromPing(unreachable, [], 3, 3000).error?.code).toBe('UNREACHABLE');
    const silent = '3 packets transmitted, 0 received, 100% packet loss, time 2040ms';
    const outcome = outcomeFromPing(silent, [], 3, 3000);
    expect(outcome.error?.code).toBe('TIMEOUT');
    expect(outcome.icmp).toMatchObject({ sent: 3, received: 0, lossPct: 100 });
  });

  it('reports a host name that does not resolve', () => {
    const outcome = outcomeFromPing('ping: nosuch.example: Name or service not known', [], 3, 10);
    expect(outcome.error).toEqual({ code: 'UNREACHABLE', message: 'host name did not resolve' });
  });
});
