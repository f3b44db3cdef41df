import type { ColumnValues } from './bulk-walk.js';
import { oids } from './oids.js';
import { readInteger, readOid, readText } from './varbind-values.js';

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
const pct = (used: number, size: number): number => round3(Math.min(100, Math.max(0, (used / size) * 100)));

export const MAX_DISKS = 256;

/** hrProcessorLoad is the per-CPU load over the last minute; the device's CPU % is their mean. */
export const readCpu = (
  values: ColumnValues,
): Readonly<{ cpuPct: number | null; malformedCells: number }> => {
  let malformedCells = 0;
  const loads: number[] = [];
  for (const varbind of values.get(oids.hrProcessorLoad)?.values() ?? []) {
    const load = readInteger(varbind);
    if (load === null || load < 0 || load > 100) malformedCells += 1;
    else loads.push(load);
  }
  const cpuPct =
    loads.length === 0 ? null : round3(loads.reduce((sum, load) => sum + load, 0) / loads.length);
  return { cpuPct, malformedCells };
};

type StorageRow = { type: string; descr: string; size: number; used: number };

export type StorageReading = Readonly<{
  memoryPct: number | null;
  disks: { name: string; usedPct: number }[];
  malformedCells: number;
  rows: number;
}>;

/**
 * Memory and disk use from hrStorageTable. net-snmp counts buffers and page cache as used RAM and
 * lists them as separate "Memory buffers" / "Cached memory" rows: they are subtracted, so the figure
 * matches what `free` calls used (as other NMSs do for net-snmp agents).
 */
export const readStorage = (values: ColumnValues): StorageReading => {
  let malformedCells = 0;
  const column = (oid: string) => values.get(oid) ?? new Map();
  const rows: StorageRow[] = [];
  for (const [index, typeCell] of column(oids.hrStorageType)) {
    const type = readOid(typeCell);
    const descr = readText(column(oids.hrStorageDescr).get(index), 255);
    const units = readInteger(column(oids.hrStorageAllocationUnits).get(index));
    const size = readInteger(column(oids.hrStorageSize).get(index));
    const used = readInteger(column(oids.hrStorageUsed).get(index));
    if (
      type === null ||
      units === null ||
      size === null ||
      used === null ||
      units < 0 ||
      size < 0 ||
      used < 0
    ) {
      malformedCells += 1;
      continue;
    }
    // Units cancel out in a percentage, but they keep the subtraction below in one unit.
    rows.push({ type, descr: descr ?? `hrStorage ${index}`, size: size * units, used: used * units });
  }
  const ram = rows.filter((row) => row.type === oids.hrStorageRam && row.size > 0);
  let memoryPct: number | null = null;
  if (ram.length > 0) {
    const size = ram.reduce((sum, row) => sum + row.size, 0);
    let used = ram.reduce((sum, row) => sum + row.used, 0);
    const reclaimable = rows
      .filter(
        (row) => row.type === oids.hrStorageOther && /^(memory buffers|cached memory)$/i.test(row.descr),
      )
      .reduce((sum, row) => sum + row.used, 0);
    if (reclaimable > 0 && reclaimable < used) used -= reclaimable;
    memoryPct = pct(used, size);
  }
  const disks = rows
    .filter((row) => row.type === oids.hrStorageFixedDisk && row.size > 0)
    .slice(0, MAX_DISKS)
    .map((row) => ({ name: row.descr, usedPct: pct(row.used, row.size) }));
  return { memoryPct, disks, malformedCells, rows: rows.length };
};
