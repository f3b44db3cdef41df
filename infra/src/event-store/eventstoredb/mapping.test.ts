import { describe, expect, it } from 'vitest';
import { testMetadata } from '../testing/events.js';
import { type EsdbRecorded, toEventData, toRecordedEvent } from './mapping.js';

const metadata = { ...testMetadata(), previousHash: '0'.repeat(64), hash: 'a'.repeat(64) };

describe('ESDB event <-> RecordedEvent', () => {
  it('writes data and metadata as JSON under the event id and type', () => {
    const data = toEventData({
      id: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c',
      type: 'DeviceAdded',
      data: { name: 'core-1' },
      metadata,
    });
    expect(data).toEqual({
      id: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c',
      contentType: 'application/json',
      type: 'DeviceAdded',
      data: { name: 'core-1' },
      metadata,
    });
  });

  it('maps revision, commit position, checkpoint and creation time', () => {
    const created = new Date('2025-01-02T03:04:05.678Z');
    const event: EsdbRecorded = {
      streamId: 'device-1',
      id: '6F1C2A3B-0D4E-4F5A-8B6C-7D8E9F0A1B2C',
      revision: 4n,
      type: 'DeviceAdded',
      data: { name: 'core-1' },
      metadata,
      created,
      position: { commit: 9_000n, prepare: 9_000n },
    };
    expect(toRecordedEvent(event)).toEqual({
      id: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c',
      type: 'DeviceAdded',
      data: { name: 'core-1' },
      streamId: 'device-1',
      streamVersion: 4n,
      globalPosition: 9_000n,
      checkpoint: 'C:9000/P:9000',
      recordedAt: created,
      metadata,
    });
  });

  it('maps foreign events leniently (binary metadata becomes empty metadata)', () => {
    const event = toRecordedEvent({
      streamId: 'legacy-1',
      id: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c',
      revision: 0n,
      type: 'Blob',
      data: new Uint8Array([1]),
      metadata: new Uint8Array([2]),
      created: new Date(0),
      position: { commit: 1n, prepare: 1n },
    });
    expect(event.metadata).toEqual({});
  });

  it('refuses an event without its $all position (servers before 22.6)', () => {
    expect(() =>
      toRecordedEvent({
        streamId: 'device-1',
        id: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c',
        revision: 0n,
        type: 'A',
        data: {},
        metadata,
        created: new Date(0),
      }),
    ).toThrow(/\$all position/);
  });
});
