import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { detectBackend } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../credentials/credential-store.js';
import { freeUdpPort } from '../testing/snmpd.js';
import type { MappedTrap } from './trap-mapping.js';
import { TrapReceiver } from './trap-receiver.js';

const run = promisify(execFile);
const snmptrap = await detectBackend('snmptrap (Debian package snmp)', () => run('snmptrap', ['--version']));

const COMMUNITY = 'trap-community-77';
const V3 = { user: 'trapuser', authKey: 'trap-auth-key-1', privKey: 'trap-priv-key-1' };

const until = async (condition: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.skipIf(!snmptrap.available)('SNMP trap receiver', () => {
  const traps: MappedTrap[] = [];
  const rejected: Array<{ reason: string; source: string | null }> = [];
  let receiver: TrapReceiver;
  let port = 0;
  const env = { ...process.env, MIBS: '' };

  beforeAll(async () => {
    port = await freeUdpPort();
    receiver = new TrapReceiver({
      port,
      address: '127.0.0.1',
      acceptAnyCommunity: false,
      credentials: new CredentialStore({
        lab: { version: 'v2c', community: COMMUNITY },
        v3: {
          version: 'v3',
          user: V3.user,
          level: 'authPriv',
          authProtocol: 'sha',
          authKey: V3.authKey,
          privProtocol: 'aes',
          privKey: V3.privKey,
        },
      }),
      onTrap: (trap) => traps.push(trap),
      onRejected: (reason, source) => rejected.push({ reason, source }),
    });
    await receiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  it('receives a v2c trap sent with snmptrap', async () => {
    await run(
      'snmptrap',
      [
        '-v',
        '2c',
        '-c',
        COMMUNITY,
        `127.0.0.1:${port}`,
        '',
        '1.3.6.1.6.3.1.1.5.3',
        '1.3.6.1.2.1.2.2.1.1.2',
        'i',
        '2',
        '1.3.6.1.2.1.2.2.1.2.2',
        's',
        'eth1',
      ],
      { env },
    );
    await until(() => traps.length === 1);
    expect(traps[0]!.trap).toMatchObject({
      sourceAddress: '127.0.0.1',
      version: 'v2c',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
    });
    expect(traps[0]!.trap.varbinds).toContainEqual({
      oid: '1.3.6.1.2.1.2.2.1.2.2',
      type: 'OctetString',
      value: 'eth1',
    });
  });

  it('receives a v3 authPriv trap for a configured user', async () => {
    await run(
      'snmptrap',
      [
        '-v',
        '3',
        '-u',
        V3.user,
        '-l',
        'authPriv',
        '-a',
        'SHA',
        '-A',
        V3.authKey,
        '-x',
        'AES',
        '-X',
        V3.privKey,
        '-e',
        '0x8000000001020304',
        `127.0.0.1:${port}`,
        '',
        '1.3.6.1.6.3.1.1.5.4',
      ],
      { env },
    );
    await until(() => traps.length === 2);
    expect(traps[1]!.trap).toMatchObject({ version: 'v3', trapOid: '1.3.6.1.6.3.1.1.5.4' });
  });

  it('rejects an unknown community without ever passing the community on', async () => {
    await run(
      'snmptrap',
      ['-v', '2c', '-c', 'intruder-community', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1'],
      { env },
    );
    await until(() => rejected.length === 1);
    expect(rejected[0]).toEqual({ reason: 'unauthorized', source: '127.0.0.1' });
    expect(JSON.stringify({ traps, rejected })).not.toContain('intruder-community');
    expect(JSON.stringify({ traps, rejected })).not.toContain(COMMUNITY);
  });

  it('fails loudly when the port is taken', async () => {
    const second = new TrapReceiver({
      port,
      address: '127.0.0.1',
      acceptAnyCommunity: false,
      credentials: new CredentialStore({}),
      onTrap: () => {},
      onRejected: () => {},
    });
    await expect(second.start()).rejects.toThrow(
      /cannot listen for traps on UDP 127.0.0.1:\d+ \(EADDRINUSE\)/,
    );
  });
});
