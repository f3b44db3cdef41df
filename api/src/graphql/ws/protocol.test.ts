import { describe, expect, it } from 'vitest';
import { nextFramePrefix, parseClientMessage } from './protocol.js';

describe('graphql-transport-ws messages', () => {
  it('reads the messages a client may send', () => {
    expect(parseClientMessage('{"type":"connection_init","payload":{"authorization":"Bearer x"}}')).toEqual({
      ok: true,
      message: { type: 'connection_init', payload: { authorization: 'Bearer x' } },
    });
    expect(
      parseClientMessage(
        '{"id":"1","type":"subscribe","payload":{"query":"{ me { id } }","variables":null}}',
      ),
    ).toMatchObject({
      ok: true,
      message: { id: '1', type: 'subscribe', payload: { query: '{ me { id } }' } },
    });
    expect(parseClientMessage('{"id":"1","type":"complete"}')).toMatchObject({ ok: true });
    expect(parseClientMessage('{"type":"ping"}')).toMatchObject({ ok: true });
  });

  it('names what is wrong with anything else', () => {
    expect(parseClientMessage('not json')).toEqual({
      ok: false,
      reason: 'Invalid message received: not JSON',
    });
    expect(parseClientMessage('{"type":"subscribe","id":"1"}')).toEqual({
      ok: false,
      reason: 'Invalid message received (subscribe)',
    });
    expect(parseClientMessage('{"type":"next","id":"1","payload":{}}')).toMatchObject({ ok: false });
    expect(parseClientMessage('{"type":"complete","id":""}')).toMatchObject({ ok: false });
  });

  it('builds next frames around a payload serialized once', () => {
    const frame = `${nextFramePrefix('a"b')}{"data":{"x":1}}}`;
    expect(JSON.parse(frame)).toEqual({ id: 'a"b', type: 'next', payload: { data: { x: 1 } } });
  });
});
