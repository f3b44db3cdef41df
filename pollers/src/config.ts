import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CredentialRef, Id } from '@netpulse/domain';
import { z } from 'zod';
import { SnmpCredential } from './credentials/snmp-credential.js';

const defaultPollerId = (): string => {
  const host = hostname()
    .replace(/[^A-Za-z0-9_.:-]/g, '-')
    .slice(0, 100);
  return `poller-${host || 'local'}`;
};

/**
 * Configuration of the poller role. The infra config module embeds this schema; `pollerConfigFromEnv`
 * maps these environment variables onto it:
 *
 * | variable | field | default |
 * |---|---|---|
 * | `NETPULSE_POLLER_ID` | `pollerId` (part of every observation's event id: keep it stable) | `poller-<hostname>` |
 * | `NETPULSE_POLLER_CONCURRENCY` | `concurrency` (probe processes / sockets in flight) | 128 |
 * | `NETPULSE_FPING_THRESHOLD` | `icmp.fpingThreshold` (ICMP targets from which `fping` batches are used; 0 = always) | 200 |
 * | `NETPULSE_FPING_PATH` | `icmp.fpingPath` | `fping` |
 * | `NETPULSE_FAST_REPOLL_INTERVAL_SECONDS` | `fastRepoll.intervalSeconds` | 5 |
 * | `NETPULSE_FAST_REPOLL_WINDOW_SECONDS` | `fastRepoll.windowSeconds` | 120 |
 * | `NETPULSE_TRAPS_ENABLED` | `traps.enabled` | `true` |
 * | `NETPULSE_TRAP_PORT` | `traps.port` | 10162 |
 * | `NETPULSE_TRAP_ADDRESS` | `traps.address` | `0.0.0.0` |
 * | `NETPULSE_TRAP_ACCEPT_ANY_COMMUNITY` | `traps.acceptAnyCommunity` | `false` |
 * | `NETPULSE_UNKNOWN_TRAPS_ORGANIZATION_ID` | `traps.unknownSenderOrganizationId` | the fleet's organization when there is only one, else `unassigned` |
 * | `NETPULSE_POLLER_BUFFER_SIZE` | `buffer.capacity` (observations held while the store is slow or down) | 10000 |
 * | `NETPULSE_POLLER_BATCH_SIZE` | `buffer.batchSize` (observations per append) | 500 |
 * | `NETPULSE_SNMP_CREDENTIALS` | `credentials`: JSON `{ "<ref>": {"version":"v2c","community":"…"} \| {"version":"v3","user":"…","authProtocol":"sha","authKey":"…","privProtocol":"aes","privKey":"…"} }` | `{}` |
 * | `NETPULSE_SNMP_CREDENTIALS_FILE` | same JSON read from a file (keeps secrets out of the environment) | — |
 * | `NETPULSE_SNMP_CREDENTIAL_<REF>` | one credential as JSON; `<REF>` is the reference upper-cased with `.`/`-` as `_` | — |
 *
 * Secrets are only ever read from here; events carry the reference name (`credentialRef`).
 */
export const PollerConfig = z.object({
  pollerId: Id.default(defaultPollerId),
  concurrency: z.number().int().min(1).max(4096).default(128),
  icmp: z
    .object({
      /** From this many ICMP targets on, probes are batched through one `fping` process per batch. */
      fpingThreshold: z.number().int().min(0).default(200),
      fpingPath: z.string().min(1).default('fping'),
      /** Targets per fping process: bounds one process's run time (3 packets × 1 ms each × targets). */
      batchMaxTargets: z.number().int().min(1).max(4096).default(256),
      /** How long due probes wait to be batched together; a delay of the probe, not of its schedule. */
      batchLingerMs: z.number().int().min(0).max(10_000).default(1_000),
    })
    .prefault({}),
  fastRepoll: z
    .object({
      intervalSeconds: z.number().int().min(1).max(300).default(5),
      windowSeconds: z.number().int().min(0).max(3600).default(120),
    })
    .prefault({}),
  traps: z
    .object({
      enabled: z.boolean().default(true),
      port: z.number().int().min(1).max(65_535).default(10_162),
      address: z.string().min(1).default('0.0.0.0'),
      /** Accept v1/v2c traps whatever their community (else only communities of configured credentials). */
      acceptAnyCommunity: z.boolean().default(false),
      unknownSenderOrganizationId: Id.optional(),
    })
    .prefault({}),
  buffer: z
    .object({
      capacity: z.number().int().min(1).max(10_000_000).default(10_000),
      batchSize: z.number().int().min(1).max(10_000).default(500),
      flushIntervalMs: z.number().int().min(10).max(60_000).default(250),
      maxBackoffMs: z.number().int().min(100).max(600_000).default(30_000),
    })
    .prefault({}),
  credentials: z.record(CredentialRef, SnmpCredential).default({}),
});
export type PollerConfig = z.infer<typeof PollerConfig>;
export type PollerConfigInput = z.input<typeof PollerConfig>;

/** Raised for configuration that cannot be used; its message never quotes a configured value. */
export class PollerConfigError extends Error {
  override readonly name = 'PollerConfigError';
}

const integer = (env: NodeJS.ProcessEnv, name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new PollerConfigError(`${name} must be an integer`);
  return value;
};

const boolean = (env: NodeJS.ProcessEnv, name: string): boolean | undefined => {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new PollerConfigError(`${name} must be true or false`);
};

/** JSON.parse's own message quotes the input, which here is a secret: replace it. */
const parseSecretJson = (text: string, source: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new PollerConfigError(`${source} is not valid JSON`);
  }
};

/**
 * The variable that configures one reference: `core-v3` → `NETPULSE_SNMP_CREDENTIAL_CORE_V3`. Such a
 * credential is stored under the normalised reference (`core_v3`), which CredentialStore also tries.
 */
export const credentialEnvName = (ref: string): string =>
  `NETPULSE_SNMP_CREDENTIAL_${ref.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

const credentialsFromEnv = (env: NodeJS.ProcessEnv): Record<string, unknown> | undefined => {
  let credentials: Record<string, unknown> | undefined;
  const merge = (value: unknown, source: string) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PollerConfigError(`${source} must be a JSON object of credential references`);
    }
    credentials = { ...credentials, ...(value as Record<string, unknown>) };
  };
  const file = env.NETPULSE_SNMP_CREDENTIALS_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new PollerConfigError('NETPULSE_SNMP_CREDENTIALS_FILE cannot be read');
    }
    merge(parseSecretJson(text, 'NETPULSE_SNMP_CREDENTIALS_FILE'), 'NETPULSE_SNMP_CREDENTIALS_FILE');
  }
  if (env.NETPULSE_SNMP_CREDENTIALS) {
    merge(
      parseSecretJson(env.NETPULSE_SNMP_CREDENTIALS, 'NETPULSE_SNMP_CREDENTIALS'),
      'NETPULSE_SNMP_CREDENTIALS',
    );
  }
  // One variable per credential (see credentialEnvName), e.g. NETPULSE_SNMP_CREDENTIAL_CORE_V3.
  const prefix = 'NETPULSE_SNMP_CREDENTIAL_';
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || name === 'NETPULSE_SNMP_CREDENTIALS_FILE' || !value) continue;
    const ref = name.slice(prefix.length).toLowerCase();
    if (ref === '') continue;
    merge({ [ref]: parseSecretJson(value, name) }, name);
  }
  return credentials;
};

const prune = <T extends Record<string, unknown>>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Maps the environment onto the raw (unparsed) poller configuration; see {@link PollerConfig}. */
export const pollerConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): PollerConfigInput =>
  prune({
    pollerId: env.NETPULSE_POLLER_ID || undefined,
    concurrency: integer(env, 'NETPULSE_POLLER_CONCURRENCY'),
    icmp: prune({
      fpingThreshold: integer(env, 'NETPULSE_FPING_THRESHOLD'),
      fpingPath: env.NETPULSE_FPING_PATH || undefined,
    }),
    fastRepoll: prune({
      intervalSeconds: integer(env, 'NETPULSE_FAST_REPOLL_INTERVAL_SECONDS'),
      windowSeconds: integer(env, 'NETPULSE_FAST_REPOLL_WINDOW_SECONDS'),
    }),
    traps: prune({
      enabled: boolean(env, 'NETPULSE_TRAPS_ENABLED'),
      port: integer(env, 'NETPULSE_TRAP_PORT'),
      address: env.NETPULSE_TRAP_ADDRESS || undefined,
      acceptAnyCommunity: boolean(env, 'NETPULSE_TRAP_ACCEPT_ANY_COMMUNITY'),
      unknownSenderOrganizationId: env.NETPULSE_UNKNOWN_TRAPS_ORGANIZATION_ID || undefined,
    }),
    buffer: prune({
      capacity: integer(env, 'NETPULSE_POLLER_BUFFER_SIZE'),
      batchSize: integer(env, 'NETPULSE_POLLER_BATCH_SIZE'),
    }),
    credentials: credentialsFromEnv(env),
  }) as PollerConfigInput;

/**
 * Parses configuration, reporting problems by path only: zod's messages do not echo input values,
 * and this keeps it that way for anything that might hold a secret.
 */
export const parsePollerConfig = (input: unknown): PollerConfig => {
  const result = PollerConfig.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new PollerConfigError(`invalid poller configuration: ${problems.join('; ')}`);
};

export const loadPollerConfig = (env: NodeJS.ProcessEnv = process.env): PollerConfig =>
  parsePollerConfig(pollerConfigFromEnv(env));

/** The configuration with every secret masked, safe to log. */
export const redactedPollerConfig = (config: PollerConfig): Record<string, unknown> => ({
  ...config,
  credentials: Object.fromEntries(
    Object.entries(config.credentials).map(([ref, credential]) => [
      ref,
      credential.version === 'v2c'
        ? { version: 'v2c', community: '[redacted]' }
        : {
            ...credential,
            authKey: credential.authKey && '[redacted]',
            privKey: credential.privKey && '[redacted]',
          },
    ]),
  ),
});
