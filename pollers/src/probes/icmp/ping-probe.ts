/// <reference path="../../types/ping.d.ts" />
import { addressFamily } from '@netpulse/domain';
import ping from 'ping';
import { elapsedMs, failedOutcome, type ProbeOutcome, probeError, withDeadline } from '../outcome.js';
import { icmpResult } from './icmp-stats.js';

export type IcmpProbeSettings = Readonly<{ packets: number; timeoutMs: number }>;

/** Seconds between the packets of one probe: 3 packets take 0.4 s instead of the default 2 s. */
export const PACKET_INTERVAL_S = 0.2;

const UNREACHABLE = /unreachable|no route to host/i;
const UNRESOLVED =
  /name or service not known|temporary failure in name resolution|unknown host|no address associated/i;

/** How long one probe can take at most: the packets, then the wait for the last reply. */
export const icmpProbeBudgetMs = (settings: IcmpProbeSettings): number =>
  (settings.packets - 1) * PACKET_INTERVAL_S * 1000 + Math.ceil(settings.timeoutMs / 1000) * 1000;

/**
 * One ICMP probe through the system `ping` (the `ping` package spawns it): `packets` echo requests,
 * each reply awaited up to the timeout. One process per probe costs ~2.7 ms of CPU (see
 * docs/benchmarks.md), which is why large fleets go through fping batches instead.
 */
export const pingProbe = async (address: string, settings: IcmpProbeSettings): Promise<ProbeOutcome> => {
  const start = performance.now();
  const family = addressFamily(address);
  if (family === 'invalid') return failedOutcome('PROBE_FAILED', 'invalid address', 0);
  const work = ping.promise
    .probe(address, {
      numeric: true,
      // -W takes whole seconds; rounding up never cuts a reply short.
      timeout: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
      min_reply: settings.packets,
      v6: family === 'ipv6',
      extra: ['-i', String(PACKET_INTERVAL_S)],
    })
    .then((response) => outcomeFromPing(response.output, response.times, settings.packets, elapsedMs(start)))
    .catch(() => failedOutcome('PROBE_FAILED', 'the ping program could not be run', elapsedMs(start)));
  return withDeadline(work, icmpProbeBudgetMs(settings) + 5_000, () =>
    failedOutcome('TIMEOUT', 'ping did not finish in time', elapsedMs(start)),
  );
};

/** Reads what ping printed; exported for tests with canned output. */
export const outcomeFromPing = (
  output: string,
  times: readonly number[],
  packets: number,
  durationMs: number,
): ProbeOutcome => {
  const summary = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  const sent = summary ? Number(summary[1]) : packets;
  const received = summary ? Number(summary[2]) : times.length;
  // Replies beyond `received` are duplicates (DUP!): keep the first `received` times.
  const rtts: (number | null)[] = times.slice(0, received);
  while (rtts.length < sent) rtts.push(null);
  const icmp = icmpResult(sent, rtts);
  if (!summary && times.length === 0) {
    const code = UNRESOLVED.test(output) || UNREACHABLE.test(output) ? 'UNREACHABLE' : 'PROBE_FAILED';
    const message = UNRESOLVED.test(output) ? 'host name did not resolve' : firstLine(output);
    return { ...failedOutcome(code, message, durationMs), icmp: null };
  }
  if (icmp.received === 0) {
    const error = UNREACHABLE.test(output)
      ? probeError('UNREACHABLE', 'destination unreachable')
      : probeError('TIMEOUT', `no echo reply to ${sent} packets`);
    return { reachable: false, error, icmp, tcp: null, snmp: null, durationMs };
  }
  return { reachable: true, error: null, icmp, tcp: null, snmp: null, durationMs };
};

const firstLine = (output: string): string => {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.length > 0);
  return line ? `ping: ${line.slice(0, 200)}` : 'ping printed nothing';
};
