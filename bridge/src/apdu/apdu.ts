/**
 * Bytes in, bytes out: short command APDUs, response parsing, status words,
 * and the T=0 conventions (61 xx: more data, fetch with GET RESPONSE;
 * 6C xx: wrong Le, resend with Le = xx). Knows nothing about JPKI.
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import type { CardConnection } from "../transport/types.js";

export interface Command {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  /** Expected length, 1-256 (256 is sent as 00). Omitted: no Le. */
  le?: number;
  /** The data is secret (a PIN): traces show it masked. */
  secret?: boolean;
}

export interface Response {
  data: Uint8Array;
  sw: number;
}

export function encode(c: Command): Uint8Array {
  for (const [k, v] of [
    ["cla", c.cla],
    ["ins", c.ins],
    ["p1", c.p1],
    ["p2", c.p2],
  ] as const)
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new JpkiGuardError("internal", `APDU ${k} out of range`);
  const data = c.data ?? new Uint8Array(0);
  if (data.length > 255) throw new JpkiGuardError("internal", "APDU data longer than 255 bytes");
  if (c.le !== undefined && (!Number.isInteger(c.le) || c.le < 1 || c.le > 256))
    throw new JpkiGuardError("internal", "APDU Le out of range");
  // Written straight into the one array that is sent (and wiped after a secret
  // one): no intermediate copy of the data (a PIN) is left behind.
  const lc = data.length > 0 ? 1 + data.length : 0;
  const out = new Uint8Array(4 + lc + (c.le === undefined ? 0 : 1));
  out.set([c.cla, c.ins, c.p1, c.p2]);
  if (lc > 0) {
    out[4] = data.length;
    out.set(data, 5);
  }
  if (c.le !== undefined) out[4 + lc] = c.le & 0xff;
  return out;
}

/** Split a raw response into data and status word; anything under 2 bytes is malformed. */
export function decode(raw: Uint8Array, maxData = 256): Response {
  if (raw.length < 2)
    throw new JpkiGuardError("bad-response", `the card sent a ${raw.length}-byte answer (no status word)`);
  if (raw.length - 2 > maxData)
    throw new JpkiGuardError("bad-response", `the card sent ${raw.length - 2} data bytes where at most ${maxData} fit`);
  return { data: raw.subarray(0, raw.length - 2), sw: (raw[raw.length - 2]! << 8) | raw[raw.length - 1]! };
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, "0");
}

export interface TraceLine {
  command: string;
  response: string;
  ms: number;
}

/** Counts and (optionally) traces every APDU of one channel. */
export class ApduChannel {
  count = 0;
  readonly trace: TraceLine[] | null;

  constructor(
    private readonly conn: CardConnection,
    options: { trace?: boolean } = {},
  ) {
    this.trace = options.trace ? [] : null;
  }

  private async raw(c: Command, maxData: number): Promise<Response> {
    const bytes = encode(c);
    const traced = this.trace ? traceCommand(c, bytes) : "";
    const t0 = performance.now();
    this.count++;
    let raw: Uint8Array;
    try {
      raw = await this.conn.transmit(bytes);
    } finally {
      // A command carrying a PIN is overwritten once it has been sent (or failed to be).
      if (c.secret) bytes.fill(0);
    }
    const res = decode(raw, maxData);
    if (this.trace) {
      this.trace.push({ command: traced, response: traceResponse(raw), ms: performance.now() - t0 });
    }
    return res;
  }

  /**
   * Send a command, following 6C xx (once) and 61 xx (bounded chain of GET
   * RESPONSE) so that callers see the final data and status word.
   */
  async send(c: Command): Promise<Response> {
    const maxData = c.le ?? 256;
    let res = await this.raw(c, 256);
    // 6C xx asks for the command again with another Le: never a command that carried a PIN.
    if ((res.sw & 0xff00) === 0x6c00 && !c.secret) {
      const le = res.sw & 0xff || 256;
      res = await this.raw({ ...c, le }, 256);
    }
    if ((res.sw & 0xff00) !== 0x6100) {
      if (res.data.length > maxData)
        throw new JpkiGuardError("bad-response", `the card sent ${res.data.length} bytes where ${maxData} were asked`);
      return res;
    }
    const parts: Uint8Array[] = [res.data];
    let total = res.data.length;
    for (let i = 0; i < 8 && (res.sw & 0xff00) === 0x6100; i++) {
      const le = res.sw & 0xff || 256;
      res = await this.raw({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le }, 256);
      if ((res.sw & 0xff00) === 0x6c00)
        res = await this.raw({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le: res.sw & 0xff || 256 }, 256);
      parts.push(res.data);
      total += res.data.length;
      if (total > maxData)
        throw new JpkiGuardError("bad-response", `the card sent ${total} bytes where ${maxData} were asked`);
    }
    if ((res.sw & 0xff00) === 0x6100) throw new JpkiGuardError("bad-response", "the card kept answering 61 xx");
    const data = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    return { data, sw: res.sw };
  }
}

function hexStr(b: Uint8Array): string {
  return Buffer.from(b)
    .toString("hex")
    .toUpperCase()
    .replace(/(..)(?!$)/g, "$1 ");
}

/**
 * What a trace shows of a command: everything but a secret's data, and for a
 * secret not even its length (the Lc byte would tell the PIN's length).
 */
function traceCommand(c: Command, bytes: Uint8Array): string {
  if (c.secret && c.data) return `${hexStr(bytes.subarray(0, 4))} [PIN]`;
  return hexStr(bytes);
}

/**
 * What a trace shows of a response: the status word and how many data bytes
 * came, never the bytes (certificates carry names, serials, addresses).
 */
function traceResponse(raw: Uint8Array): string {
  if (raw.length < 2) return `(${raw.length} bytes)`;
  const sw = hexStr(raw.subarray(raw.length - 2));
  return raw.length > 2 ? `[${raw.length - 2} bytes] ${sw}` : sw;
}
