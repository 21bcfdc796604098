// One WebSocket text frame for many sockets. `ws.send` frames every call on its own (a new
// header, then a corked write of header and payload, i.e. a writev); a message going to
// 1,000 viewers is framed once here and the same Buffer goes to each socket in one write.
// Server-to-client frames are never masked (RFC 6455 §5.1), so the bytes are identical for
// every viewer. The frame is built by ws's own `Sender.frame` and written by the socket's
// own sender (`sendFrame`, the last step of `ws.send`), so ws still owns the socket's writes.
// It applies only to a socket that negotiated no extension: with per-message deflate ws
// queues writes behind compression, and a frame written past that queue could overtake it.
// Anything else (or a ws without these internals) falls back to a plain `send`.
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
/** ws's Sender (exported by the package, not described by @types/ws). */
const Sender = (wsModule as unknown as { Sender?: { frame?: (data: Buffer, o: FrameOptions) => Buffer[] } }).Sender;
type WithSender = { _sender?: { sendFrame?: (list: Buffer[]) => void } | null };

const TEXT = 0x1;

/** The complete unmasked, final text frame carrying `payload`; null if this ws cannot frame on its own. */
export function textFrame(payload: Buffer): Buffer | null {
  if (typeof Sender?.frame !== 'function') return null;
  const parts = Sender.frame(payload, { fin: true, opcode: TEXT, mask: false, readOnly: true, rsv1: false });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** A message framed at most once, however many sockets it goes to. */
export class SharedText {
  private framed: Buffer | null | undefined;
  readonly payload: Buffer;
  constructor(text: string) {
    this.payload = Buffer.from(text);
  }

  get frame(): Buffer | null {
    if (this.framed === undefined) this.framed = textFrame(this.payload);
    return this.framed;
  }
}

/** Writes the message to one socket: the shared frame in one write when eligible, else a plain `send`. */
export function sendText(socket: WebSocket, message: SharedText): void {
  const sender = (socket as unknown as WithSender)._sender;
  const frame = socket.extensions === '' && typeof sender?.sendFrame === 'function' ? message.frame : null;
  if (frame) sender!.sendFrame!([frame]);
  else socket.send(message.payload, { binary: false });
}
