import type { InterfaceSample } from '@netpulse/domain';
import type { ColumnValues } from './bulk-walk.js';
import type { InterfaceCounters } from './counter-rates.js';
import { oids } from './oids.js';
import { counterBits, readCounter, readInteger, readText } from './varbind-values.js';

const OPER_STATUS: Record<number, InterfaceSample['operStatus']> = {
  1: 'up',
  2: 'down',
  3: 'testing',
  4: 'unknown',
  5: 'dormant',
  6: 'notPresent',
  7: 'lowerLayerDown',
};

export const MAX_INTERFACES = 4096;

export type InterfaceRow = Readonly<{
  index: number;
  name: string;
  operStatus: InterfaceSample['operStatus'];
  speedMbps: number | null;
  counters: InterfaceCounters;
}>;

export type InterfaceReading = Readonly<{
  rows: InterfaceRow[];
  /** Cells whose syntax was not what IF-MIB defines (the rest of the row is still used). */
  malformedCells: number;
  hasIfXTable: boolean;
}>;

/** Joins the ifTable and ifXTable columns by ifIndex into one row per interface. */
export const readInterfaces = (values: ColumnValues): InterfaceReading => {
  const column = (oid: string) => values.get(oid) ?? new Map();
  const indexes = new Set<string>([...column(oids.ifName).keys(), ...column(oids.ifOperStatus).keys()]);
  let malformedCells = 0;
  const rows: InterfaceRow[] = [];
  const counter = (oid: string, index: string) => {
    const varbind = column(oid).get(index);
    if (!varbind) return null;
    const value = readCounter(varbind);
    if (value === null) {
      malformedCells += 1;
      return null;
    }
    return { value, bits: counterBits(varbind) };
  };
  for (const index of indexes) {
    const ifIndex = Number(index);
    if (!Number.isInteger(ifIndex) || ifIndex < 0) {
      malformedCells += 1;
      continue;
    }
    const nameCell = column(oids.ifName).get(index);
    const name = readText(nameCell, 200);
    if (nameCell && name === null) malformedCells += 1;
    const statusCell = column(oids.ifOperStatus).get(index);
    const status = readInteger(statusCell);
    if (statusCell && (status === null || !(status in OPER_STATUS))) malformedCells += 1;
    const speedCell = column(oids.ifHighSpeed).get(index);
    const speed = readInteger(speedCell);
    if (speedCell && (speed === null || speed < 0)) malformedCells += 1;
    rows.push({
      index: ifIndex,
      name: name || `ifIndex ${ifIndex}`,
      operStatus: (status !== null && OPER_STATUS[status]) || 'unknown',
      speedMbps: speed !== null && speed >= 0 ? speed : null,
      counters: {
        inOctets: counter(oids.ifHCInOctets, index),
        outOctets: counter(oids.ifHCOutOctets, index),
        inErrors: counter(oids.ifInErrors, index),
        outErrors: counter(oids.ifOutErrors, index),
        inDiscards: counter(oids.ifInDiscards, index),
        outDiscards: counter(oids.ifOutDiscards, index),
      },
    });
    if (rows.length >= MAX_INTERFACES) break;
  }
  rows.sort((a, b) => a.index - b.index);
  return {
    rows,
    malformedCells,
    hasIfXTable: column(oids.ifName).size > 0 || column(oids.ifHCInOctets).size > 0,
  };
};
