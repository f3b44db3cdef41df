import type { IcmpResult } from '@netpulse/domain';

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Loss and round-trip statistics from the replies of one probe. `rtts` holds one entry per packet
 * sent, null for a packet that got no reply. Jitter is the mean absolute difference between
 * consecutive replies (RFC 3550's instantaneous delay variation, without smoothing).
 */
export const icmpResult = (sent: number, rtts: readonly (number | null)[]): IcmpResult => {
  const replies = rtts.filter((rtt): rtt is number => rtt !== null && Number.isFinite(rtt) && rtt >= 0);
  const total = Math.max(sent, replies.length);
  const received = replies.length;
  const lossPct = total === 0 ? 100 : round3(((total - received) / total) * 100);
  if (received === 0) {
    return { sent: total, received, lossPct, rttMinMs: null, rttAvgMs: null, rttMaxMs: null, jitterMs: null };
  }
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let variation = 0;
  for (let i = 0; i < replies.length; i += 1) {
    const rtt = replies[i]!;
    sum += rtt;
    if (rtt < min) min = rtt;
    if (rtt > max) max = rtt;
    if (i > 0) variation += Math.abs(rtt - replies[i - 1]!);
  }
  return {
    sent: total,
    received,
    lossPct,
    rttMinMs: round3(min),
    rttAvgMs: round3(sum / received),
    rttMaxMs: round3(max),
    jitterMs: received > 1 ? round3(variation / (received - 1)) : 0,
  };
};
