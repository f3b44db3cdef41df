/** The OIDs NetPulse polls, by name. Columns are table column OIDs without the row index. */
export const oids = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  // IF-MIB ifTable: status, errors and discards (32-bit counters).
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInDiscards: '1.3.6.1.2.1.2.2.1.13',
  ifInErrors: '1.3.6.1.2.1.2.2.1.14',
  ifOutDiscards: '1.3.6.1.2.1.2.2.1.19',
  ifOutErrors: '1.3.6.1.2.1.2.2.1.20',
  // IF-MIB ifXTable: names, 64-bit octet counters, speed in Mb/s.
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  // HOST-RESOURCES-MIB.
  hrProcessorLoad: '1.3.6.1.2.1.25.3.3.1.2',
  hrStorageType: '1.3.6.1.2.1.25.2.3.1.2',
  hrStorageDescr: '1.3.6.1.2.1.25.2.3.1.3',
  hrStorageAllocationUnits: '1.3.6.1.2.1.25.2.3.1.4',
  hrStorageSize: '1.3.6.1.2.1.25.2.3.1.5',
  hrStorageUsed: '1.3.6.1.2.1.25.2.3.1.6',
  hrStorageRam: '1.3.6.1.2.1.25.2.1.2',
  hrStorageFixedDisk: '1.3.6.1.2.1.25.2.1.4',
  hrStorageOther: '1.3.6.1.2.1.25.2.1.1',
  // SNMPv2-MIB notification objects.
  snmpTrapOID: '1.3.6.1.6.3.1.1.4.1.0',
} as const;

export const interfaceColumns = [
  oids.ifName,
  oids.ifHCInOctets,
  oids.ifHCOutOctets,
  oids.ifHighSpeed,
  oids.ifOperStatus,
  oids.ifInErrors,
  oids.ifOutErrors,
  oids.ifInDiscards,
  oids.ifOutDiscards,
] as const;

export const storageColumns = [
  oids.hrStorageType,
  oids.hrStorageDescr,
  oids.hrStorageAllocationUnits,
  oids.hrStorageSize,
  oids.hrStorageUsed,
] as const;

/** Numeric comparison of dotted OIDs (string order gets `1.10` vs `1.9` wrong). */
export const compareOids = (a: string, b: string): number => {
  const left = a.split('.');
  const right = b.split('.');
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const diff = Number(left[i]) - Number(right[i]);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
};
