import type { IcmpResult, ProbeError, SnmpResult, TcpResult } from '@netpulse/domain';

/** What one probe found, before it becomes a DeviceObserved event. */
export type ProbeOutcome = Readonly<{
  reachable: boolean;
  error: ProbeError | null;
  icmp: IcmpResult | null;
  tcp: TcpResult | null;
  snmp: SnmpResult | null;
  durationMs: number;
}>;

export type ProbeErrorCode = ProbeError['code'];

const MAX_MESSAGE = 500;

export const probeError = (code: ProbeErrorCode, message: string): ProbeError => ({
  code,
  message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
});

export const failedOutcome = (code: ProbeErrorCode, message: string, durationMs: number): ProbeOutcome => ({
  reachable: false,
  error: probeError(code, message),
  icmp: null,
  tcp: null,
  snmp: null,
  durationMs,
});

/** Milliseconds since `start` (from performance.now()), rounded to microseconds. */
export const elapsedMs = (start: number): number =>
  Math.max(0, Math.round((performance.now() - start) * 1000) / 1000);

/**
 * Resolves with `onTimeout()` if the work has not settled within `ms`. The work itself is not
 * cancelled (each probe bounds its own sockets and processes); this only frees the caller.
 */
export const withDeadline = <T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> => {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    handle = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(handle));
};
