/** The end of a `next` message: `{"id":…,"type":"next","payload":` + payload + this. */
const CLOSING_BRACE = 0x7d;
/** FIN set, opcode 1: a whole text message in one frame. */
const FINAL_TEXT_FRAME = 0x81;

/**
 * A graphql-ws `next` message as one unmasked WebSocket text frame (RFC 6455 §5.2), built from the
 * subscriber's own message prefix and a payload whose bytes every member of a group shares. A
 * fan-out writes the same payload to a thousand sockets: `ws.send` would encode the message text
 * again for each and write the frame as two chunks (header, then data). Building the frame here
 * and writing it as one chunk cut the delivering process's CPU by a quarter (1,000 sockets, 100
 * messages a second each: 67–70 % of a core against 49–53 %).
 */
export const nextMessageFrame = (prefix: Uint8Array, payload: Uint8Array): Buffer => {
  const length = prefix.length + payload.length + 1;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FINAL_TEXT_FRAME;
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(prefix, headerLength);
  frame.set(payload, headerLength + prefix.length);
  frame[frame.length - 1] = CLOSING_BRACE;
  return frame;
};
