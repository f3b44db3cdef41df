import type { TrapReceived } from '@netpulse/domain';
import { oids } from '../probes/snmp/oids.js';
import { ObjectTypes, objectTypeName, type SnmpNotification, type Varbind } from '../probes/snmp/snmp-lib.js';
import { normalizeAddress } from '../targets/target-set.js';

const PDU_TRAP_V1 = 164;
const MAX_VARBINDS = 256;
const MAX_VALUE = 4096;

export type MappedTrap = Readonly<{
  requestId: string;
  trap: Omit<TrapReceived['data'], 'deviceId'>;
}>;

const printable = (buffer: Buffer): boolean => {
  for (const byte of buffer) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return false;
  }
  return true;
};

/** A varbind value as text: strings as UTF-8 when printable, else hex; Counter64 as a decimal. */
export const varbindText = (varbind: Varbind): string => {
  const { type, value } = varbind;
  let text: string;
  if (type === ObjectTypes.Counter64 && Buffer.isBuffer(value)) {
    text = value.length === 0 ? '0' : BigInt(`0x${value.toString('hex')}`).toString();
  } else if (Buffer.isBuffer(value)) {
    text = printable(value) ? value.toString('utf8') : `0x${value.toString('hex')}`;
  } else if (value === null || value === undefined) {
    text = '';
  } else {
    text = String(value);
  }
  return text.length > MAX_VALUE ? text.slice(0, MAX_VALUE) : text;
};

/**
 * The trap OID as SNMPv2 names it: snmpTrapOID.0 for v2c/v3; for a v1 trap, the RFC 3584 §3.1
 * translation (generic traps map to snmpTraps.n, enterprise-specific to enterprise.0.specific).
 */
const trapOidOf = (pdu: SnmpNotification['pdu']): string => {
  if (pdu.type === PDU_TRAP_V1) {
    const generic = pdu.generic ?? 6;
    if (generic >= 0 && generic < 6) return `1.3.6.1.6.3.1.1.5.${generic + 1}`;
    return `${pdu.enterprise ?? '0.0'}.0.${pdu.specific ?? 0}`;
  }
  const trapOid = pdu.varbinds?.find((varbind) => varbind.oid === oids.snmpTrapOID);
  return typeof trapOid?.value === 'string' ? trapOid.value : '0.0';
};

/**
 * What a received notification becomes in a TrapReceived event. The community or user the
 * receiver saw is deliberately not read: it is a credential, not an observation.
 */
export const mapNotification = (
  notification: SnmpNotification,
  version: 'v1' | 'v2c' | 'v3',
  receivedAt: Date,
): MappedTrap => {
  const { pdu, rinfo } = notification;
  const varbinds = (pdu.varbinds ?? []).slice(0, MAX_VARBINDS).map((varbind) => ({
    oid: String(varbind.oid).slice(0, 256),
    type: objectTypeName(varbind.type).slice(0, 64),
    value: varbindText(varbind),
  }));
  return {
    requestId: String(pdu.id ?? `${pdu.upTime ?? ''}`),
    trap: {
      sourceAddress: normalizeAddress(rinfo.address).slice(0, 253),
      version: pdu.type === PDU_TRAP_V1 ? 'v1' : version,
      trapOid: trapOidOf(pdu).slice(0, 256),
      varbinds,
      receivedAt: receivedAt.toISOString(),
    },
  };
};
