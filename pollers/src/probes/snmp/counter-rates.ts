/**
 * Rates from two readings of interface counters. Pure: the poller keeps the previous snapshot of
 * each device in memory and hands both in.
 */
export type Counter = Readonly<{ value: bigint; bits: 32 | 64 }>;

export type InterfaceCounters = Readonly<{
  inOctets: Counter | null;
  outOctets: Counter | null;
  inErrors: Counter | null;
  outErrors: Counter | null;
  inDiscards: Counter | null;
  outDiscards: Counter | null;
}>;

export type CounterSnapshot = Readonly<{
  atMs: number;
  /** sysUpTime in hundredths of a second, null when the agent did not say. */
  uptimeTicks: number | null;
  interfaces: ReadonlyMap<string, InterfaceCounters>;
}>;

/** Per second; octets as bits per second. Null where no honest rate can be given. */
export type InterfaceRates = Readonly<{
  inBps: number | null;
  outBps: number | null;
  inErrors: number | null;
  outErrors: number | null;
  inDiscards: number | null;
  outDiscards: number | null;
}>;

const TWO_32 = 2n ** 32n;
const TIMETICKS_WRAP = 2 ** 32;

export const noRates: InterfaceRates = {
  inBps: null,
  outBps: null,
  inErrors: null,
  outErrors: null,
  inDiscards: null,
  outDiscards: null,
};

/**
 * The increase between two readings. A 32-bit counter that went down wrapped once (at 1 Gb/s
 * ifInOctets wraps every 34 s). A 64-bit counter does not wrap in practice (centuries at 100 Gb/s),
 * so a decrease means it was reset: no rate rather than a wrong one.
 */
export const counterDelta = (previous: Counter, current: Counter): bigint | null => {
  if (previous.bits !== current.bits) return null;
  if (current.value >= previous.value) return current.value - previous.value;
  return current.bits === 32 ? current.value + TWO_32 - previous.value : null;
};

/**
 * sysUpTime going backwards means the agent restarted and every counter started again from zero.
 * sysUpTime is 32-bit TimeTicks and itself wraps after ~497 days: a decrease that matches the wall
 * time elapsed across the wrap is that wrap, not a restart.
 */
export const agentRestarted = (previous: CounterSnapshot, current: CounterSnapshot): boolean => {
  if (previous.uptimeTicks === null || current.uptimeTicks === null) return false;
  if (current.uptimeTicks >= previous.uptimeTicks) return false;
  const elapsedTicks = (current.atMs - previous.atMs) / 10;
  const acrossWrap = current.uptimeTicks + TIMETICKS_WRAP - previous.uptimeTicks;
  return Math.abs(acrossWrap - elapsedTicks) > Math.max(500, elapsedTicks * 0.1);
};

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

const perSecond = (
  previous: Counter | null,
  current: Counter | null,
  seconds: number,
  factor: number,
): number | null => {
  if (!previous || !current) return null;
  const delta = counterDelta(previous, current);
  return delta === null ? null : round3((Number(delta) * factor) / seconds);
};

/** Rates of every interface of `current`; all null on a first reading or after an agent restart. */
export const interfaceRates = (
  previous: CounterSnapshot | undefined,
  current: CounterSnapshot,
): Map<string, InterfaceRates> => {
  const rates = new Map<string, InterfaceRates>();
  const seconds = previous ? (current.atMs - previous.atMs) / 1000 : 0;
  const comparable = previous !== undefined && seconds > 0 && !agentRestarted(previous, current);
  for (const [index, counters] of current.interfaces) {
    const before = comparable ? previous.interfaces.get(index) : undefined;
    if (!before) {
      rates.set(index, noRates);
      continue;
    }
    rates.set(index, {
      inBps: perSecond(before.inOctets, counters.inOctets, seconds, 8),
      outBps: perSecond(before.outOctets, counters.outOctets, seconds, 8),
      inErrors: perSecond(before.inErrors, counters.inErrors, seconds, 1),
      outErrors: perSecond(before.outErrors, counters.outErrors, seconds, 1),
      inDiscards: perSecond(before.inDiscards, counters.inDiscards, seconds, 1),
      outDiscards: perSecond(before.outDiscards, counters.outDiscards, seconds, 1),
    });
  }
  return rates;
};
