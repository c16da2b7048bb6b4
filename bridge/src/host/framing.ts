/**
 * Native-messaging framing: a 4-byte length in native byte order, then that
 * many bytes of UTF-8 JSON. Incoming frames over the cap are refused (and
 * their bytes skipped without being kept); invalid UTF-8 or JSON is a typed
 * error; partial frames wait for more bytes; several frames in one chunk
 * are all delivered.
 */
import { endianness } from "node:os";

const LE = endianness() === "LE";

export type FrameEvent =
  | { kind: "message"; value: unknown; bytes: number }
  | { kind: "error"; code: "too-large" | "bad-request"; message: string }
  /** A length no browser sends: the stream cannot be trusted any more. */
  | { kind: "violation"; message: string };

/**
 * Chrome sends at most 4 GiB and our extension never more than a few KiB; a
 * header declaring more than this is not a message but a broken or hostile
 * stream (it would make us skip everything after it).
 */
export const IMPOSSIBLE_LENGTH = 1 << 20;

export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized frame still to skip. */
  private skipping = 0;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  /** After a protocol violation nothing more is read. */
  private dead = false;

  constructor(private readonly maxBytes: number) {}

  /** Bytes held while waiting for the rest of a frame (at most header + cap). */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const out: FrameEvent[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, data.length);
      this.skipping -= n;
      data = data.subarray(n);
    }
    if (this.dead) return out;
    // Our copy is all we keep: the bytes as they arrived, and the partial frame
    // the joined copy replaces, are overwritten (a request may carry a PIN).
    const partial = this.buf;
    this.buf = partial.length ? Buffer.concat([partial, data]) : Buffer.from(data);
    partial.fill(0);
    data.fill(0);
    for (;;) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, this.buf.length);
        this.skipping -= n;
        this.buf.subarray(0, n).fill(0); // skipped, not kept
        this.buf = this.buf.subarray(n);
        if (this.skipping > 0) break;
      }
      if (this.buf.length < 4) break;
      const len = LE ? this.buf.readUInt32LE(0) : this.buf.readUInt32BE(0);
      if (len > IMPOSSIBLE_LENGTH) {
        out.push({ kind: "violation", message: "a frame header declares an impossible length" });
        this.buf.fill(0);
        this.buf = Buffer.alloc(0);
        this.dead = true;
        break;
      }
      if (len > this.maxBytes) {
        out.push({
          kind: "error",
          code: "too-large",
          message: `a ${len}-byte message is over the ${this.maxBytes}-byte limit`,
        });
        this.buf = this.buf.subarray(4);
        this.skipping = len;
        continue;
      }
      if (this.buf.length < 4 + len) break;
      const whole = this.buf;
      const body = whole.subarray(4, 4 + len);
      this.buf = Buffer.from(whole.subarray(4 + len));
      let text: string;
      try {
        text = this.decoder.decode(body);
      } catch {
        out.push({ kind: "error", code: "bad-request", message: "the message is not valid UTF-8" });
        continue;
      } finally {
        // Decoded: the frame's bytes, and the old copy of what follows it, are
        // not kept (JavaScript strings cannot be wiped; bytes can).
        whole.fill(0);
      }
      try {
        out.push({ kind: "message", value: JSON.parse(text), bytes: len });
      } catch (e) {
        // Never quote what was received (a PIN could be in it).
        void e;
        out.push({ kind: "error", code: "bad-request", message: "the message is not valid JSON" });
      }
    }
    return out;
  }

  /** At end of input: was a frame cut off? */
  get pendingPartial(): boolean {
    return this.buf.length > 0 || this.skipping > 0;
  }
}

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  const head = Buffer.alloc(4);
  if (LE) head.writeUInt32LE(body.length, 0);
  else head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}
