import type { ProbeError } from '@netpulse/domain';
import type { SecretRedactor } from '../../credentials/redactor.js';
import { probeError } from '../outcome.js';
import { snmp } from './snmp-lib.js';

/** net-snmp's ResponseInvalidCode values that mean "the credentials are wrong". */
const AUTH_CODES = new Set([4, 5, 10, 11, 14]);

const errorStatusName = (status: unknown): string => {
  const name = typeof status === 'number' ? snmp.ErrorStatus[status] : undefined;
  return typeof name === 'string' ? name : 'GeneralError';
};

const errnoCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Turns whatever net-snmp reported into a ProbeError. Messages are written here from fixed text:
 * net-snmp's own messages can quote the community (ECommunityNoMatch) or carry the v3 user object,
 * so they are never passed through; the rare fallback is redacted and truncated.
 */
export const snmpProbeError = (error: unknown, context: string, redactor: SecretRedactor): ProbeError => {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'RequestTimedOutError':
      return probeError('TIMEOUT', `${context}: no SNMP response`);
    case 'RequestFailedError':
      return probeError(
        'SNMP_ERROR',
        `${context}: agent returned error-status ${errorStatusName((error as { status?: unknown }).status)}`,
      );
    case 'ResponseInvalidError': {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && AUTH_CODES.has(code)) {
        return probeError(
          'SNMP_ERROR',
          `${context}: the agent rejected the credentials (authentication, privacy or time window)`,
        );
      }
      return probeError(
        'MALFORMED',
        `${context}: invalid SNMP response (code ${typeof code === 'number' ? code : '?'})`,
      );
    }
    case 'RequestInvalidError':
      return probeError('PROBE_FAILED', `${context}: the SNMP request could not be built`);
    case 'MalformedReplyError':
      return probeError('MALFORMED', `${context}: ${redactor.redact((error as Error).message)}`);
    default: {
      const code = errnoCode(error);
      if (code && ['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ECONNREFUSED'].includes(code)) {
        return probeError('UNREACHABLE', `${context}: ${code}`);
      }
      if (code && ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL'].includes(code)) {
        return probeError('UNREACHABLE', `${context}: host name did not resolve`);
      }
      const message = error instanceof Error ? error.message : String(error);
      return probeError('PROBE_FAILED', `${context}: ${redactor.redact(message).slice(0, 200)}`);
    }
  }
};

/** A reply that parsed but made no sense (a counter that is not a counter, a walk that loops). */
export class MalformedReplyError extends Error {
  override readonly name = 'MalformedReplyError';
}
