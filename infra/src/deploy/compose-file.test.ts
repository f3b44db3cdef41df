import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { roleNames } from '../cli/start.js';
import { type Config, loadConfig } from '../config/config.js';
import { settingFlags, telemetrySettings } from '../postgres/telemetry-settings.js';

/**
 * infra/deploy/compose.yaml cannot be run here (no Docker engine), so this keeps it honest against
 * the code: every NetPulse variable it sets must be one `loadConfig` reads (its zod schemas), with a
 * value `loadConfig` accepts, every host it names must be a service of the file, and the README must
 * document every variable.
 */
const deployFile = (name: string) => fileURLToPath(new URL(`../../deploy/${name}`, import.meta.url));
const composeText = readFileSync(deployFile('compose.yaml'), 'utf8');
const readme = readFileSync(deployFile('README.md'), 'utf8');
const envExample = readFileSync(deployFile('.env.example'), 'utf8');
const dockerfile = readFileSync(deployFile('Dockerfile'), 'utf8');

type Service = {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown };
  deploy?: { replicas?: number };
};
type ComposeFile = { services: Record<string, Service> };

/** What an operator puts in .env: the example's keys, its blanks filled with plausible secrets. */
const dotEnv: Record<string, string> = {
  POSTGRES_PASSWORD: 'compose-test-postgres-password',
  JWT_SECRET: 'compose-test-jwt-secret-0123456789-abcdefghij',
  NETPULSE_ADMIN_PASSWORD: 'compose-test-admin-password',
};

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}` (and `$$`), as `docker compose config` does. */
const interpolate = (text: string, vars: Readonly<Record<string, string>>): string =>
  text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name, op, arg) => {
    if (match === '$$') return '$';
    const value = vars[name as string];
    const unset = value === undefined || (op?.startsWith(':') && value === '');
    if (!unset) return value as string;
    if (op?.endsWith('?')) throw new Error(`${name} is required: ${arg}`);
    if (op?.endsWith('-')) return arg as string;
    return '';
  });

const requiredVariables = [...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1]!);
const compose = parse(interpolate(composeText, dotEnv), { merge: true }) as ComposeFile;
const services = compose.services;

const environmentOf = (service: Service): Record<string, string> => {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as const;
      })
    : Object.entries(raw).map(([name, value]) => [name, value === null ? '' : String(value)] as const);
  return Object.fromEntries(entries);
};

/** The image's own `ENV` defaults, which every role inherits. */
const imageEnvironment = (): Record<string, string> => {
  const block = dockerfile.replace(/\\\n/g, ' ').match(/^ENV\s+(.+)$/m)?.[1] ?? '';
  return Object.fromEntries(
    block
      .trim()
      .split(/\s+/)
      .map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  );
};

/** loadConfig over `values`, noting each variable it reads; enumeration shows only credential variables. */
const loadRecording = (values: Record<string, string>): { config: Config; read: Set<string> } => {
  const read = new Set<string>();
  const env = new Proxy(values, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
    // Only the per-credential variables are found by listing; everything else must be asked for by name.
    ownKeys: (target) =>
      Reflect.ownKeys(target).filter(
        (key) => typeof key === 'string' && key.startsWith('NETPULSE_SNMP_CREDENTIAL_'),
      ),
  });
  return { config: loadConfig(env), read };
};

const netpulseServices = Object.entries(services).filter(
  ([, service]) => service.build?.dockerfile === 'infra/deploy/Dockerfile',
);

const hostOf = (url: string) => new URL(url).hostname;

describe('infra/deploy/compose.yaml', () => {
  it('runs the backing services with health checks and each role as its own replicated service', () => {
    for (const name of ['eventstoredb', 'kafka', 'postgres', 'redis']) {
      expect(services[name]?.image, name).toBeTruthy();
      expect(services[name]?.healthcheck?.test, `${name} health check`).toBeTruthy();
    }
    expect(services.postgres?.image).toMatch(/^timescale\/timescaledb:/);
    // The settings the embedded PostgreSQL gets on a host of 8 GiB or more.
    expect(services.postgres?.command).toEqual([
      'postgres',
      ...settingFlags(telemetrySettings(8 * 1024 ** 3)),
    ]);
    expect(services.kafka?.image).toMatch(/^apache\/kafka:/);
    expect(environmentOf(services.kafka!).KAFKA_PROCESS_ROLES).toBe('broker,controller');
    const roles = netpulseServices.map(([, service]) => service.command?.[0]);
    expect([...roles].sort()).toEqual([...roleNames].sort());
    for (const [name, service] of netpulseServices) {
      expect(service.deploy?.replicas, `${name} replicas`).toBeGreaterThanOrEqual(2);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        expect(condition, `${name} waits for ${dependency} to be healthy`).toBe('service_healthy');
      }
    }
    // The image checks /ready itself, for every role.
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/ready/);
  });

  it.each(netpulseServices)('%s: every variable is read and accepted by loadConfig', (name, service) => {
    const own = environmentOf(service);
    const values = { ...imageEnvironment(), ...own };
    const { config, read } = loadRecording(values);
    const unknown = Object.keys(values).filter((variable) => !read.has(variable));
    expect(unknown, `${name} sets variables NetPulse does not read`).toEqual([]);

    expect(config.eventStore).toBe('eventstoredb');
    expect(config.HOST).toBe('0.0.0.0');
    const hosts = [hostOf(config.DATABASE_URL!), hostOf(config.EVENTSTORE_URL!.replace(/^esdb/, 'http'))];
    const role = service.command?.[0];
    if (role === 'api') {
      expect(config.JWT_SECRET).toBeTruthy();
      hosts.push(hostOf(config.REDIS_URL!));
    }
    if (role === 'poller') {
      expect(config.pollerGroup).not.toBeNull();
      hosts.push(...config.pollerGroup!.brokers.map((broker) => broker.split(':')[0]!));
    }
    if (role === 'reactor') {
      expect(config.reactor.kafka).not.toBeNull();
      hosts.push(...config.reactor.kafka!.brokers.map((broker) => broker.split(':')[0]!));
    }
    for (const host of hosts)
      expect(services[host], `${name} reaches ${host}, a service of the file`).toBeDefined();
  });

  it('lists every required secret in .env.example and documents every NetPulse variable in the README', () => {
    expect(requiredVariables.length).toBeGreaterThan(0);
    for (const variable of requiredVariables)
      expect(envExample, variable).toMatch(new RegExp(`^${variable}=`, 'm'));
    const documented = new Set([...readme.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    const used = new Set(netpulseServices.flatMap(([, service]) => Object.keys(environmentOf(service))));
    for (const variable of Object.keys(imageEnvironment())) used.add(variable);
    for (const variable of used) expect(documented.has(variable), `README documents ${variable}`).toBe(true);
  });

  it('has no NetPulse variable that a role does not use', () => {
    // Sharing is configured where it is used: only pollers join the pollers' group.
    for (const [name, service] of netpulseServices) {
      const own = Object.keys(environmentOf(service));
      if (service.command?.[0] !== 'poller') {
        expect(
          own.filter((variable) => variable.startsWith('KAFKA_POLL')),
          name,
        ).toEqual([]);
      }
    }
  });
});
