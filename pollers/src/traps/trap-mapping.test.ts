import { describe, expect, it } from 'vitest';
import { mapNotification } from './trap-mapping.js';

const rinfo = { address: '::ffff:127.0.0.1', family: 'IPv6', port: 40000, size: 100 };
const at = new Date('2026-11-21T10:00:00.000Z');

describe('mapNotification', () => {
  it('maps a v2c trap: snmpTrapOID, varbinds as text, sender normalised', () => {
    const mapped = mapNotification(
      {
        pdu: {
          type: 167,
          id: 1234,
          varbinds: [
            { oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 4200 },
            { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 6, value: '1.3.6.1.6.3.1.1.5.3' },
            { oid: '1.3.6.1.2.1.2.2.1.2.2', type: 4, value: Buffer.from('eth0') },
            { oid: '1.3.6.1.2.1.31.1.1.1.6.2', type: 70, value: Buffer.from([0x01, 0x00, 0x00, 0x00, 0x00]) },
            { oid: '1.3.6.1.4.1.9.9.1', type: 4, value: Buffer.from([0x00, 0xff, 0x10]) },
          ],
        },
        rinfo,
      },
      'v2c',
      at,
    );
    expect(mapped.requestId).toBe('1234');
    expect(mapped.trap).toMatchObject({
      sourceAddress: '127.0.0.1',
      version: 'v2c',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
      receivedAt: '2026-11-21T10:00:00.000Z',
    });
    expect(mapped.trap.varbinds).toContainEqual({
      oid: '1.3.6.1.2.1.2.2.1.2.2',
      type: 'OctetString',
      value: 'eth0',
    });
    expect(mapped.trap.varbinds).toContainEqual({
      oid: '1.3.6.1.2.1.31.1.1.1.6.2',
      type: 'Counter64',
      value: '4294967296',
    });
    expect(mapped.trap.varbinds).toContainEqual({
      oid: '1.3.6.1.4.1.9.9.1',
      type: 'OctetString',
      value: '0x00ff10',
    });
  });

  it('translates a v1 trap to its SNMPv2 trap OID (RFC 3584)', () => {
    const generic = mapNotification(
      { pdu: { type: 164, generic: 2, specific: 0, enterprise: '1.3.6.1.4.1.8072' }, rinfo },
      'v2c',
      at,
    );
    expect(generic.trap).toMatchObject({ version: 'v1', trapOid: '1.3.6.1.6.3.1.1.5.3' });
    const specific = mapNotification(
      { pdu: { type: 164, generic: 6, specific: 17, enterprise: '1.3.6.1.4.1.8072' }, rinfo },
      'v2c',
      at,
    );
    expect(specific.trap.trapOid).toBe('1.3.6.1.4.1.8072.0.17');
  });
});
