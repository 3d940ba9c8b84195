import smpp, { type PDU, type Session } from 'smpp';
import { decodeHot } from './pdu-codec.js';

/** The package's own limit (PDU.maxLength); a longer command_length is a broken stream. */
const MAX_PDU_LENGTH = 16384;
const HEADER = 16;

interface SessionInternals {
  sequence: number;
  _callbacks: Record<number, ((pdu: PDU) => void) | undefined>;
}

/**
 * Replaces an `smpp` package session's reader with one that cuts PDUs out of each chunk as it
 * arrives (views, no copy unless a PDU spans chunks) and decodes the hot ones with pdu-codec.
 * The session then works as before: it emits 'pdu' and the command name, and calls the response
 * callbacks its send() registered. Call it right after the session is made, before any data.
 */
export function readFramesDirectly(session: Session): void {
  const socket = session.socket;
  // The package's 'readable' reader; with a 'data' listener instead the socket flows.
  socket.removeAllListeners('readable');
  let rest: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = undefined;
    let at = 0;
    while (buf.length - at >= 4) {
      const length = buf.readUInt32BE(at);
      if (length < HEADER || length > MAX_PDU_LENGTH) {
        session.emit('error', new Error(`PDU length ${length} out of range (${HEADER} to ${MAX_PDU_LENGTH})`));
        socket.destroy();
        return;
      }
      if (buf.length - at < length) break;
      const frame = buf.subarray(at, at + length);
      at += length;
      if (!dispatch(session, frame)) return;
    }
    if (at < buf.length) rest = buf.subarray(at);
  });
}

function dispatch(session: Session, frame: Buffer): boolean {
  let pdu: PDU;
  try {
    pdu = decodeHot(frame) ?? new smpp.PDU(frame);
  } catch (error) {
    session.emit('error', error);
    session.socket.destroy();
    return false;
  }
  session.emit('pdu', pdu);
  session.emit(pdu.command, pdu);
  if (pdu.isResponse()) {
    const callbacks = (session as unknown as SessionInternals)._callbacks;
    const callback = callbacks[pdu.sequence_number];
    if (callback) {
      delete callbacks[pdu.sequence_number];
      callback(pdu);
    }
  }
  return !session.socket.destroyed;
}

/** The next sequence number of the session, shared with the package's own send(). */
export function nextSequence(session: Session): number {
  const internals = session as unknown as SessionInternals;
  if (internals.sequence === 0x7fffffff) internals.sequence = 0;
  internals.sequence += 1;
  return internals.sequence;
}
