import type { ProbeError, SnmpResult } from '@netpulse/domain';
import type { CredentialStore } from '../../credentials/credential-store.js';
import type { Limiter } from '../../scheduler/limiter.js';
import { elapsedMs, failedOutcome, type ProbeOutcome, probeError, withDeadline } from '../outcome.js';
import { walkColumns } from './bulk-walk.js';
import { type CounterSnapshot, interfaceRates, noRates } from './counter-rates.js';
import { readCpu, readStorage } from './host-resources.js';
import { readInterfaces } from './interfaces.js';
import { interfaceColumns, oids, storageColumns } from './oids.js';
import { SessionPool, type SessionTarget } from './session-pool.js';
import { snmpProbeError } from './snmp-errors.js';
import { get, isVarbindError } from './snmp-lib.js';
import { readInteger, readText } from './varbind-values.js';

export type SnmpProbeSettings = Readonly<{
  version: 'v2c' | 'v3';
  port: number;
  credentialRef: string;
  timeoutMs: number;
}>;

const MAX_PARTIAL_ERRORS = 32;

/**
 * A full SNMP poll of one device: the system group by GET (also the reachability check), then the
 * interface, processor and storage tables by GETBULK, side by side. Only the system GET decides
 * reachability; a table that fails becomes a partial error next to the data that did arrive.
 */
export class SnmpProber {
  readonly #credentials: CredentialStore;
  readonly #limiter: Limiter;
  readonly #pool: SessionPool;
  /** The last interface counters of each device, for rates. Keyed by device and endpoint. */
  readonly #previous = new Map<string, { endpoint: string; snapshot: CounterSnapshot }>();

  constructor(options: Readonly<{ credentials: CredentialStore; limiter: Limiter; maxSessions?: number }>) {
    this.#credentials = options.credentials;
    this.#limiter = options.limiter;
    this.#pool = new SessionPool(options.credentials, options.maxSessions);
  }

  probe(deviceId: string, address: string, settings: SnmpProbeSettings): Promise<ProbeOutcome> {
    const credential = this.#credentials.resolve(settings.credentialRef);
    if (!credential) {
      return Promise.resolve(
        failedOutcome(
          'PROBE_FAILED',
          `credential reference '${settings.credentialRef}' is not configured`,
          0,
        ),
      );
    }
    if (credential.version !== settings.version) {
      return Promise.resolve(
        failedOutcome(
          'PROBE_FAILED',
          `credential '${settings.credentialRef}' is ${credential.version} but the device is set to ${settings.version}`,
          0,
        ),
      );
    }
    const target: SessionTarget = {
      address,
      port: settings.port,
      credentialRef: settings.credentialRef,
      timeoutMs: settings.timeoutMs,
    };
    return this.#limiter.run(() => {
      const start = performance.now();
      // One GET plus a few GETBULK rounds: a generous ceiling that still frees the slot of a stuck poll.
      return withDeadline(
        this.#poll(deviceId, target, credential, start),
        settings.timeoutMs * 8 + 2_000,
        () => failedOutcome('TIMEOUT', 'SNMP poll did not finish in time', elapsedMs(start)),
      );
    });
  }

  /** Drops what is remembered of a device (it left the fleet). */
  forget(deviceId: string): void {
    this.#previous.delete(deviceId);
  }

  close(): void {
    this.#pool.closeAll();
  }

  async #poll(
    deviceId: string,
    target: SessionTarget,
    credential: NonNullable<ReturnType<CredentialStore['resolve']>>,
    start: number,
  ): Promise<ProbeOutcome> {
    const redactor = this.#credentials.redactor;
    let pooled: ReturnType<SessionPool['acquire']>;
    try {
      pooled = this.#pool.acquire(target, credential);
    } catch (error) {
      return {
        ...failedOutcome('PROBE_FAILED', '', elapsedMs(start)),
        error: snmpProbeError(error, 'session', redactor),
      };
    }
    const { session } = pooled;
    const sentAt = performance.now();
    let system: Awaited<ReturnType<typeof get>>;
    try {
      system = await get(session, [oids.sysUpTime, oids.sysName, oids.sysDescr]);
    } catch (error) {
      let failure = snmpProbeError(error, 'system group', redactor);
      if (failure.code === 'TIMEOUT' && pooled.malformedSince(sentAt)) {
        failure = probeError('MALFORMED', 'system group: the reply could not be decoded');
      }
      if (failure.code !== 'TIMEOUT') this.#pool.discard(target);
      // An error-status reply still means the agent is there.
      const reachable = failure.code === 'SNMP_ERROR' || failure.code === 'MALFORMED';
      return { ...failedOutcome(failure.code, failure.message, elapsedMs(start)), reachable };
    }

    const partialErrors: ProbeError[] = [];
    const partial = (error: ProbeError) => {
      if (partialErrors.length < MAX_PARTIAL_ERRORS) partialErrors.push(error);
    };
    const [uptimeCell, nameCell, descrCell] = system;
    const uptimeTicks = readInteger(uptimeCell);
    if (uptimeCell && !isVarbindError(uptimeCell) && uptimeTicks === null) {
      partial(probeError('MALFORMED', 'sysUpTime is not TimeTicks'));
    }
    const sysName = readText(nameCell, 255);
    const sysDescr = readText(descrCell, 1024);
    const atMs = performance.now();

    const [ifTables, processors, storage] = await Promise.allSettled([
      walkColumns(session, interfaceColumns),
      walkColumns(session, [oids.hrProcessorLoad]),
      walkColumns(session, storageColumns),
    ]);

    let interfaces: SnmpResult['interfaces'] = [];
    if (ifTables.status === 'rejected') {
      partial(snmpProbeError(ifTables.reason, 'IF-MIB interfaces', redactor));
    } else {
      const reading = readInterfaces(ifTables.value.values);
      if (ifTables.value.truncated)
        partial(probeError('MALFORMED', 'IF-MIB interfaces: table too long, truncated'));
      if (reading.rows.length === 0)
        partial(probeError('NOT_AVAILABLE', 'IF-MIB interface tables are empty'));
      else if (!reading.hasIfXTable)
        partial(probeError('NOT_AVAILABLE', 'IF-MIB ifXTable not available (no 64-bit counters)'));
      if (reading.malformedCells > 0) {
        partial(
          probeError(
            'MALFORMED',
            `IF-MIB interfaces: ${reading.malformedCells} values of the wrong type ignored`,
          ),
        );
      }
      const snapshot: CounterSnapshot = {
        atMs,
        uptimeTicks,
        interfaces: new Map(reading.rows.map((row) => [String(row.index), row.counters])),
      };
      const endpoint = `${target.address}|${target.port}`;
      const previous = this.#previous.get(deviceId);
      const rates = interfaceRates(previous?.endpoint === endpoint ? previous.snapshot : undefined, snapshot);
      this.#previous.set(deviceId, { endpoint, snapshot });
      interfaces = reading.rows.map((row) => ({
        index: row.index,
        name: row.name,
        operStatus: row.operStatus,
        speedMbps: row.speedMbps,
        ...(rates.get(String(row.index)) ?? noRates),
      }));
    }

    let cpuPct: number | null = null;
    if (processors.status === 'rejected') {
      partial(snmpProbeError(processors.reason, 'HOST-RESOURCES hrProcessorLoad', redactor));
    } else {
      const reading = readCpu(processors.value.values);
      cpuPct = reading.cpuPct;
      if (cpuPct === null)
        partial(probeError('NOT_AVAILABLE', 'HOST-RESOURCES hrProcessorLoad not available'));
      if (reading.malformedCells > 0)
        partial(probeError('MALFORMED', 'HOST-RESOURCES hrProcessorLoad: values out of range ignored'));
    }

    let memoryPct: number | null = null;
    let disks: SnmpResult['disks'] = [];
    if (storage.status === 'rejected') {
      partial(snmpProbeError(storage.reason, 'HOST-RESOURCES hrStorage', redactor));
    } else {
      const reading = readStorage(storage.value.values);
      memoryPct = reading.memoryPct;
      disks = reading.disks;
      if (reading.rows === 0)
        partial(probeError('NOT_AVAILABLE', 'HOST-RESOURCES hrStorageTable not available'));
      if (reading.malformedCells > 0) {
        partial(
          probeError(
            'MALFORMED',
            `HOST-RESOURCES hrStorage: ${reading.malformedCells} rows of the wrong type ignored`,
          ),
        );
      }
    }

    return {
      reachable: true,
      error: null,
      icmp: null,
      tcp: null,
      snmp: {
        sysUpTimeSeconds: uptimeTicks === null ? null : uptimeTicks / 100,
        sysName,
        sysDescr,
        cpuPct,
        memoryPct,
        disks,
        interfaces,
        partialErrors,
      },
      durationMs: elapsedMs(start),
    };
  }
}
