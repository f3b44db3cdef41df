import { createSocket, type Socket } from 'node:dgram';

/**
 * A deliberately broken SNMPv2c agent on a loopback port, for the failures a real snmpd will not
 * produce on demand: an error-status reply, bytes that are not SNMP, values of the wrong type.
 * Speaks just enough BER to echo the request id back.
 */
export type FakeAgentMode = 'genErr' | 'garbage' | 'wrongTypes';

export type FakeAgent = Readonly<{ port: number; stop(): Promise<void> }>;

type Tlv = { tag: number; value: Buffer };

const readTlv = (buffer: Buffer, offset: number): Tlv & { next: number } => {
  const tag = buffer[offset]!;
  let length = buffer[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i += 1) length = (length << 8) | buffer[start + i]!;
    start += bytes;
  }
  return { tag, value: buffer.subarray(start, start + length), next: start + length };
};

const children = (value: Buffer): Tlv[] => {
  const items: Tlv[] = [];
  for (let offset = 0; offset < value.length; ) {
    const item = readTlv(value, offset);
    items.push(item);
    offset = item.next;
  }
  return items;
};

const encodeLength = (length: number): Buffer => {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};

const tlv = (tag: number, value: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);

const integer = (n: number): Buffer => {
  const bytes: number[] = [];
  let rest = n;
  do {
    bytes.unshift(rest & 0xff);
    rest >>= 8;
  } while (rest > 0 && rest !== -1);
  if (n >= 0 && bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
};

const decodeOid = (value: Buffer): string => {
  const parts = [Math.floor(value[0]! / 40), value[0]! % 40];
  let current = 0;
  for (const byte of value.subarray(1)) {
    current = (current << 7) | (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(current);
      current = 0;
    }
  }
  return parts.join('.');
};

const encodeOid = (oid: string): Buffer => {
  const parts = oid.split('.').map(Number);
  const bytes = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let rest = part >> 7; rest > 0; rest >>= 7) chunk.unshift((rest & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
};

const GET_BULK = 0xa5;

const reply = (request: Buffer, mode: FakeAgentMode): Buffer => {
  if (mode === 'garbage') return Buffer.from('this is not an SNMP message at all');
  const message = readTlv(request, 0);
  const [version, community, pdu] = children(message.value);
  const [requestId, , , varbindList] = children(pdu!.value);
  const requested = children(varbindList!.value).map((varbind) =>
    decodeOid(children(varbind.value)[0]!.value),
  );
  let errorStatus = 0;
  let errorIndex = 0;
  let varbinds: Buffer[];
  if (mode === 'genErr') {
    errorStatus = 5;
    errorIndex = 1;
    varbinds = requested.map((oid) => tlv(0x30, Buffer.concat([encodeOid(oid), tlv(0x05, Buffer.alloc(0))])));
  } else {
    // Every value is an OCTET STRING, whatever the MIB says; a GETBULK gets one row per column and
    // then endOfMibView, so walks terminate.
    varbinds = requested.map((oid) => {
      if (pdu!.tag === GET_BULK && oid.split('.').length > 11) {
        return tlv(0x30, Buffer.concat([encodeOid(oid), tlv(0x82, Buffer.alloc(0))]));
      }
      const answered = pdu!.tag === GET_BULK ? `${oid}.1` : oid;
      return tlv(0x30, Buffer.concat([encodeOid(answered), tlv(0x04, Buffer.from('not-a-number'))]));
    });
  }
  const responsePdu = tlv(
    0xa2,
    Buffer.concat([
      tlv(0x02, requestId!.value),
      integer(errorStatus),
      integer(errorIndex),
      tlv(0x30, Buffer.concat(varbinds)),
    ]),
  );
  return tlv(0x30, Buffer.concat([tlv(0x02, version!.value), tlv(0x04, community!.value), responsePdu]));
};

export const startFakeAgent = (mode: FakeAgentMode): Promise<FakeAgent> =>
  new Promise((resolve, reject) => {
    const socket: Socket = createSocket('udp4');
    socket.on('message', (request, rinfo) => {
      try {
        socket.send(reply(request, mode), rinfo.port, rinfo.address);
      } catch {
        // A request this fake cannot parse gets no answer.
      }
    });
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: socket.address().port,
        stop: () => new Promise((done) => socket.close(() => done())),
      }),
    );
  });
