import type { FleetDevice } from './fleet-device';
import type { DeviceChangesInput, RegisterDeviceInput } from './fleet-documents';

/** The register / edit form as typed: strings and booleans, validated on submit. */
export type DeviceForm = {
  name: string;
  address: string;
  kind: string;
  location: string;
  tags: string;
  parentId: string;
  icmpEnabled: boolean;
  icmpIntervalSeconds: string;
  tcpPorts: string;
  tcpIntervalSeconds: string;
  tcpTimeoutMs: string;
  snmpEnabled: boolean;
  snmpVersion: 'v2c' | 'v3';
  snmpPort: string;
  snmpCredentialRef: string;
  snmpIntervalSeconds: string;
};

export const blankDeviceForm: DeviceForm = {
  name: '',
  address: '',
  kind: 'server',
  location: '',
  tags: '',
  parentId: '',
  icmpEnabled: true,
  icmpIntervalSeconds: '30',
  tcpPorts: '',
  tcpIntervalSeconds: '30',
  tcpTimeoutMs: '3000',
  snmpEnabled: false,
  snmpVersion: 'v2c',
  snmpPort: '161',
  snmpCredentialRef: '',
  snmpIntervalSeconds: '60',
};

type ProbeSettings = {
  icmp: { enabled: boolean; intervalSeconds: number };
  tcp: { ports: number[]; intervalSeconds: number; timeoutMs: number } | null;
  snmp: { version: 'v2c' | 'v3'; port: number; credentialRef: string; intervalSeconds: number } | null;
};

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const numberText = (value: unknown, fallback: string): string =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : fallback;

/** The form for editing a device, from its row and its probe settings (JSON as the API returns it). */
export const formFromDevice = (device: FleetDevice, probes: unknown): DeviceForm => {
  const settings = record(probes);
  const icmp = record(settings.icmp);
  const tcp = settings.tcp ? record(settings.tcp) : null;
  const snmp = settings.snmp ? record(settings.snmp) : null;
  return {
    name: device.name,
    address: device.address,
    kind: device.kind,
    location: device.location ?? '',
    tags: device.tags.join(', '),
    parentId: device.parentId ?? '',
    icmpEnabled: icmp.enabled !== false,
    icmpIntervalSeconds: numberText(icmp.intervalSeconds, '30'),
    tcpPorts: tcp && Array.isArray(tcp.ports) ? tcp.ports.join(', ') : '',
    tcpIntervalSeconds: numberText(tcp?.intervalSeconds, '30'),
    tcpTimeoutMs: numberText(tcp?.timeoutMs, '3000'),
    snmpEnabled: snmp !== null,
    snmpVersion: snmp?.version === 'v3' ? 'v3' : 'v2c',
    snmpPort: numberText(snmp?.port, '161'),
    snmpCredentialRef: typeof snmp?.credentialRef === 'string' ? snmp.credentialRef : '',
    snmpIntervalSeconds: numberText(snmp?.intervalSeconds, '60'),
  };
};

export type FormErrors = Partial<Record<keyof DeviceForm, string>>;
export type Validated =
  | { ok: true; input: Omit<RegisterDeviceInput, 'deviceId'> }
  | { ok: false; errors: FormErrors };

const integer = (text: string, min: number, max: number): number | null => {
  const value = Number(text.trim());
  return Number.isInteger(value) && value >= min && value <= max ? value : null;
};

/**
 * Checks the form the way the API will and builds the input; errors are per field. `baseProbes`
 * (the device's current settings, when editing) keeps what the form does not show (packets, timeouts).
 */
export const validateDeviceForm = (form: DeviceForm, baseProbes?: unknown): Validated => {
  const errors: FormErrors = {};
  const name = form.name.trim();
  const address = form.address.trim();
  if (!name) errors.name = 'required';
  if (!address) errors.address = 'required';
  else if (/\s/.test(address)) errors.address = 'an IP address or host name';
  const tags = [
    ...new Set(
      form.tags
        .split(',')
        .map((tag) => tag.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (tags.some((tag) => !/^[a-z0-9][a-z0-9_.:/=-]*$/.test(tag)))
    errors.tags = 'lower-case words: a-z 0-9 _ . : / = -';

  const icmpInterval = integer(form.icmpIntervalSeconds, 5, 3600);
  if (form.icmpEnabled && icmpInterval === null) errors.icmpIntervalSeconds = '5–3600 s';

  let tcp: ProbeSettings['tcp'] = null;
  const portTexts = form.tcpPorts
    .split(',')
    .map((port) => port.trim())
    .filter(Boolean);
  if (portTexts.length > 0) {
    const ports = portTexts.map((port) => integer(port, 1, 65_535));
    const intervalSeconds = integer(form.tcpIntervalSeconds, 5, 3600);
    const timeoutMs = integer(form.tcpTimeoutMs, 100, 30_000);
    if (ports.some((port) => port === null) || ports.length > 32) errors.tcpPorts = 'up to 32 ports, 1–65535';
    if (intervalSeconds === null) errors.tcpIntervalSeconds = '5–3600 s';
    if (timeoutMs === null) errors.tcpTimeoutMs = '100–30000 ms';
    if (!errors.tcpPorts && intervalSeconds !== null && timeoutMs !== null)
      tcp = { ports: ports.filter((port): port is number => port !== null), intervalSeconds, timeoutMs };
  }

  let snmp: ProbeSettings['snmp'] = null;
  if (form.snmpEnabled) {
    const port = integer(form.snmpPort, 1, 65_535);
    const intervalSeconds = integer(form.snmpIntervalSeconds, 10, 3600);
    const credentialRef = form.snmpCredentialRef.trim();
    if (port === null) errors.snmpPort = '1–65535';
    if (intervalSeconds === null) errors.snmpIntervalSeconds = '10–3600 s';
    if (!/^[A-Za-z0-9_.-]+$/.test(credentialRef))
      errors.snmpCredentialRef = 'the name of a configured credential (not the secret)';
    if (port !== null && intervalSeconds !== null && !errors.snmpCredentialRef)
      snmp = { version: form.snmpVersion, port, credentialRef, intervalSeconds };
  }
  if (!form.icmpEnabled && !tcp && !snmp && !errors.tcpPorts)
    errors.icmpEnabled = 'enable at least one probe';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const base = record(baseProbes);
  const probes = {
    icmp: { ...record(base.icmp), enabled: form.icmpEnabled, intervalSeconds: icmpInterval ?? 30 },
    tcp: tcp && { ...record(base.tcp), ...tcp },
    snmp: snmp && { ...record(base.snmp), ...snmp },
  };
  return {
    ok: true,
    input: {
      name,
      address,
      kind: form.kind,
      location: form.location.trim() || null,
      tags,
      parentId: form.parentId.trim() || null,
      probes,
    },
  };
};

/** Only what changed, for updateDevice (probes are replaced as a whole when they changed). */
export const deviceChanges = (
  before: Omit<RegisterDeviceInput, 'deviceId'>,
  after: Omit<RegisterDeviceInput, 'deviceId'>,
): DeviceChangesInput => {
  const changes: Record<string, unknown> = {};
  for (const key of ['name', 'address', 'kind', 'location', 'tags', 'parentId', 'probes'] as const)
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes[key] = after[key];
  return changes as DeviceChangesInput;
};
