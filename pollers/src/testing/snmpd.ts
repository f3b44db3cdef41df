import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, snmp } from '../probes/snmp/snmp-lib.js';

/**
 * A real net-snmp agent (Debian's snmpd) on a free loopback UDP port, with a test configuration:
 * one v2c community and one v3 authPriv user (SHA + AES). Everything lives in a temporary folder.
 */
export type TestSnmpd = Readonly<{
  port: number;
  community: string;
  /** A community that sees only the system group: every table is missing for it. */
  systemOnlyCommunity: string;
  v3: Readonly<{ user: string; authKey: string; privKey: string }>;
  sysName: string;
  stop(): Promise<void>;
}>;

const SNMPD_CANDIDATES = ['/usr/sbin/snmpd', '/usr/local/sbin/snmpd'];

export const snmpdPath = (): string => {
  const found = SNMPD_CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error(`snmpd not found (looked in ${SNMPD_CANDIDATES.join(', ')}); apt-get install snmpd`);
  return found;
};

export const freeUdpPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });

const waitForAgent = async (port: number, community: string, child: ChildProcess, deadlineMs: number) => {
  const session = snmp.createSession('127.0.0.1', community, {
    port,
    version: snmp.Version2c,
    timeout: 300,
    retries: 0,
  });
  session.on('error', () => {});
  try {
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`snmpd exited with status ${child.exitCode}`);
      try {
        await get(session, ['1.3.6.1.2.1.1.3.0']);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error('snmpd did not answer in time');
  } finally {
    session.close();
  }
};

export const startSnmpd = async (
  options: Readonly<{ community?: string; sysName?: string }> = {},
): Promise<TestSnmpd> => {
  const binary = snmpdPath();
  const dir = await mkdtemp(join(tmpdir(), 'netpulse-snmpd-'));
  const community = options.community ?? 'np-test-community';
  const sysName = options.sysName ?? 'netpulse-test-agent';
  const v3 = { user: 'npv3user', authKey: 'np-auth-secret-1', privKey: 'np-priv-secret-1' };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freeUdpPort();
    const config = [
      `agentAddress udp:127.0.0.1:${port}`,
      `rocommunity ${community} 127.0.0.1`,
      `rocommunity ${community}-sysonly 127.0.0.1 .1.3.6.1.2.1.1`,
      `createUser ${v3.user} SHA "${v3.authKey}" AES "${v3.privKey}"`,
      `rouser ${v3.user} priv`,
      `sysName ${sysName}`,
      'sysLocation netpulse test',
      'sysContact nobody',
    ].join('\n');
    await writeFile(join(dir, 'snmpd.conf'), `${config}\n`, { mode: 0o600 });
    const child = spawn(
      binary,
      ['-f', '-Lo', '-C', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'snmpd.pid')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // No MIB files are installed (Debian ships none): stop snmpd from looking for them.
        env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: join(dir, 'persist') },
      },
    );
    child.stdout?.resume();
    child.stderr?.resume();
    try {
      await waitForAgent(port, community, child, 10_000);
      return {
        port,
        community,
        systemOnlyCommunity: `${community}-sysonly`,
        v3,
        sysName,
        stop: async () => {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
            if (child.exitCode === null) child.kill('SIGKILL');
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('snmpd did not start');
};
