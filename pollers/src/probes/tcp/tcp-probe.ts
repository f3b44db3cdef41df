import { connect } from 'node:net';
import type { TcpResult } from '@netpulse/domain';
import { elapsedMs, type ProbeOutcome, probeError } from '../outcome.js';

export type TcpProbeSettings = Readonly<{ port: number; timeoutMs: number }>;

const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);
const UNRESOLVED_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);

/**
 * Opens a TCP connection and closes it at once. A refusal (RST: the host is there, the port is not)
 * and a timeout (nothing answered) are different failures and are reported as such.
 */
export const tcpProbe = (address: string, settings: TcpProbeSettings): Promise<ProbeOutcome> =>
  new Promise((resolve) => {
    const start = performance.now();
    const { port, timeoutMs } = settings;
    let settled = false;
    const socket = connect({ host: address, port });
    const finish = (
      outcome: TcpResult['outcome'],
      connectMs: number | null,
      error: ProbeOutcome['error'],
    ) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      // An error after destroy() must not become an unhandled 'error' event.
      socket.on('error', () => {});
      socket.destroy();
      resolve({
        reachable: outcome === 'open',
        error,
        icmp: null,
        tcp: { port, outcome, connectMs },
        snmp: null,
        durationMs: elapsedMs(start),
      });
    };
    const timer = setTimeout(
      () =>
        finish('timeout', null, probeError('TIMEOUT', `no answer on port ${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => finish('open', elapsedMs(start), null));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (code === 'ECONNREFUSED') {
        finish('refused', null, probeError('REFUSED', `port ${port} refused the connection`));
      } else if (code === 'ETIMEDOUT') {
        finish('timeout', null, probeError('TIMEOUT', `no answer on port ${port}`));
      } else if (UNREACHABLE_CODES.has(code)) {
        finish('unreachable', null, probeError('UNREACHABLE', `host unreachable (${code})`));
      } else if (UNRESOLVED_CODES.has(code)) {
        finish('unreachable', null, probeError('UNREACHABLE', 'host name did not resolve'));
      } else {
        finish(
          'unreachable',
          null,
          probeError('PROBE_FAILED', `connect failed (${code || 'unknown error'})`),
        );
      }
    });
  });
