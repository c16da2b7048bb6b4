/**
 * A model of the My Number card's JPKI application (and the 券面事項入力補助AP)
 * at the APDU level. Facts: docs/card-reference.md; where
 * that document marks a fact "single source", the model follows it and the
 * bridge tolerates the other outcome.
 *
 * The model is deliberately strict: a command it does not understand gets the
 * ISO 7816-4 status word a real card would give, so that other programs'
 * probes (OpenSC's drivers) and our own bridge see realistic errors.
 */

export const AID_JPKI = hex("D392F000260100000001");
export const AID_TEXT = hex("D3921000310001010408");
export const AID_VISUAL = hex("D3921000310001010402");

export const EF = {
  signCert: 0x0001,
  signCaCert: 0x0002,
  authCert: 0x000a,
  authCaCert: 0x000b,
  token: 0x0006,
  presence: 0x0008,
  authKey: 0x0017,
  authPin: 0x0018,
  signKey: 0x001a,
  signPin: 0x001b,
  textPin: 0x0011,
  textMyNumber: 0x0001,
  textAttributes: 0x0002,
} as const;

export const SW = {
  ok: 0x9000,
  wrongLength: 0x6700,
  securityNotSatisfied: 0x6982,
  authBlocked: 0x6983,
  refDataUnusable: 0x6984,
  incompatibleFile: 0x6981,
  noCurrentEf: 0x6986,
  fileNotFound: 0x6a82,
  wrongP1P2: 0x6a86,
  wrongOffset: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  conditionsNotSatisfied: 0x6985,
} as const;

export interface PinSpec {
  /** The PIN as the holder set it (ASCII). */
  value: string;
  maxTries: number;
  triesLeft: number;
}

export interface BinaryFile {
  kind: "binary";
  data: Uint8Array;
  /** EF id of the PIN that must be verified before READ BINARY. */
  readPin?: number;
}
export interface PinFile {
  kind: "pin";
  pin: PinSpec;
}
export interface KeyFile {
  kind: "key";
}
export type CardFile = BinaryFile | PinFile | KeyFile;

export interface Application {
  aid: Uint8Array;
  files: Map<number, CardFile>;
}

/** "supported", or the status word a card answers instead (e.g. 0x6a86, 0x6b00, 0x6986, 0x6d00, 0x6a88). */
export type ShortEfSupport = "supported" | number;

export interface CardBehaviour {
  /** READ BINARY by short EF identifier (P1 bit 8). */
  shortEfRead: ShortEfSupport;
  /** VERIFY by short EF identifier (P2 = 80 | EF). */
  shortEfVerify: ShortEfSupport;
  /** T=0 style: data comes back as `61 xx` + GET RESPONSE, a wrong Le as `6C xx`. */
  t0: boolean;
  /** Vanish (as if pulled out) when this many APDUs have been answered since power-on. */
  removeAfterApdus?: number;
}

export interface CardModelSpec {
  atr: Uint8Array;
  applications: Application[];
  behaviour: CardBehaviour;
}

/** Thrown by `transmit` when the card has been "pulled out" mid-operation. */
export class CardRemovedSignal extends Error {
  constructor() {
    super("virtual card removed");
    this.name = "CardRemovedSignal";
  }
}

interface Session {
  app: Application | null;
  ef: number | null;
  verified: Set<number>;
  pending: Uint8Array | null;
  apdus: number;
}

export interface TraceEntry {
  command: Uint8Array;
  response: Uint8Array;
}

export class CardModel {
  readonly atr: Uint8Array;
  readonly applications: Application[];
  readonly behaviour: CardBehaviour;
  private session: Session = CardModel.freshSession();
  /** Every APDU since the model was created; PIN bytes are kept (tests compare them), callers must mask before printing. */
  readonly trace: TraceEntry[] = [];
  removed = false;

  constructor(spec: CardModelSpec) {
    this.atr = spec.atr;
    this.applications = spec.applications;
    this.behaviour = spec.behaviour;
  }

  private static freshSession(): Session {
    return { app: null, ef: null, verified: new Set(), pending: null, apdus: 0 };
  }

  /** Power-on or reset: nothing selected, nothing verified. */
  reset(): void {
    this.session = CardModel.freshSession();
  }

  /** Tries left for a PIN file in an application, for tests and the rig. */
  pin(aid: Uint8Array, ef: number): PinSpec | undefined {
    const app = this.applications.find((a) => equal(a.aid, aid));
    const f = app?.files.get(ef);
    return f?.kind === "pin" ? f.pin : undefined;
  }

  transmit(command: Uint8Array): Uint8Array {
    if (this.removed) throw new CardRemovedSignal();
    const limit = this.behaviour.removeAfterApdus;
    if (limit !== undefined && this.session.apdus >= limit) {
      this.removed = true;
      throw new CardRemovedSignal();
    }
    this.session.apdus++;
    const response = this.process(command);
    this.trace.push({ command: command.slice(), response: response.slice() });
    return response;
  }

  private process(c: Uint8Array): Uint8Array {
    const parsed = parseCommand(c);
    if (parsed === "wrong-length") return sw(SW.wrongLength);
    const { cla, ins, p1, p2, data, le } = parsed;
    if (ins !== 0xc0) this.session.pending = null;
    if (cla !== 0x00) return sw(SW.claNotSupported);
    switch (ins) {
      case 0xa4:
        return this.select(p1, p2, data, le);
      case 0xb0:
        return this.readBinary(p1, p2, data, le);
      case 0x20:
        return this.verify(p1, p2, data, le);
      case 0xc0:
        return this.getResponse(p1, p2, data, le);
      default:
        return sw(SW.insNotSupported);
    }
  }

  private select(p1: number, p2: number, data: Uint8Array | null, le: number | null): Uint8Array {
    if (p2 !== 0x0c && p2 !== 0x00) return sw(SW.wrongP1P2);
    if (data === null) return sw(SW.wrongLength);
    if (p1 === 0x04) {
      const app = this.applications.find((a) => equal(a.aid, data));
      if (!app) return sw(SW.fileNotFound);
      // Selecting an application (again) is the card's "logout".
      this.session.app = app;
      this.session.ef = null;
      this.session.verified = new Set();
      return sw(SW.ok);
    }
    if (p1 === 0x02) {
      if (data.length !== 2) return sw(SW.wrongLength);
      if (!this.session.app) return sw(SW.fileNotFound);
      const id = (data[0]! << 8) | data[1]!;
      if (!this.session.app.files.has(id)) return sw(SW.fileNotFound);
      this.session.ef = id;
      void le;
      return sw(SW.ok);
    }
    if (p1 === 0x00) {
      // Select by file id from the MF: the JPKI card has no MF to speak of.
      return sw(SW.fileNotFound);
    }
    return sw(SW.wrongP1P2);
  }

  private readBinary(p1: number, p2: number, data: Uint8Array | null, le: number | null): Uint8Array {
    if (data !== null || le === null) return sw(SW.wrongLength);
    const app = this.session.app;
    let ef: number;
    let offset: number;
    if (p1 & 0x80) {
      if (this.behaviour.shortEfRead !== "supported") return sw(this.behaviour.shortEfRead);
      if (p1 & 0x60) return sw(SW.wrongP1P2);
      if (!app) return sw(SW.noCurrentEf);
      ef = p1 & 0x1f;
      offset = p2;
      if (!app.files.has(ef)) return sw(SW.fileNotFound);
      this.session.ef = ef;
    } else {
      if (!app || this.session.ef === null) return sw(SW.noCurrentEf);
      ef = this.session.ef;
      offset = (p1 << 8) | p2;
    }
    const file = app.files.get(ef);
    if (!file) return sw(SW.fileNotFound);
    if (file.kind !== "binary") return sw(SW.incompatibleFile);
    if (file.readPin !== undefined && !this.session.verified.has(file.readPin)) {
      return sw(SW.securityNotSatisfied);
    }
    if (offset >= file.data.length) return sw(SW.wrongOffset);
    const want = le === 0 ? 256 : le;
    const chunk = file.data.subarray(offset, Math.min(offset + want, file.data.length));
    return this.answerData(chunk, want);
  }

  private answerData(chunk: Uint8Array, asked: number): Uint8Array {
    if (!this.behaviour.t0) return concat(chunk, sw(SW.ok));
    // T=0: a wrong Le is answered with the exact length to ask for.
    if (chunk.length !== asked) return sw(0x6c00 | (chunk.length & 0xff));
    // Right Le: the data waits for GET RESPONSE.
    this.session.pending = chunk.slice();
    return sw(0x6100 | (chunk.length & 0xff));
  }

  private getResponse(p1: number, p2: number, data: Uint8Array | null, le: number | null): Uint8Array {
    if (!this.behaviour.t0) return sw(SW.insNotSupported);
    if (p1 !== 0 || p2 !== 0) return sw(SW.wrongP1P2);
    if (data !== null || le === null) return sw(SW.wrongLength);
    const pending = this.session.pending;
    this.session.pending = null;
    if (!pending) return sw(SW.conditionsNotSatisfied);
    const want = le === 0 ? 256 : le;
    if (want !== pending.length) {
      this.session.pending = pending;
      return sw(0x6c00 | (pending.length & 0xff));
    }
    return concat(pending, sw(SW.ok));
  }

  private verify(p1: number, p2: number, data: Uint8Array | null, le: number | null): Uint8Array {
    if (le !== null) return sw(SW.wrongLength);
    if (p1 !== 0x00) return sw(SW.wrongP1P2);
    const app = this.session.app;
    let ef: number | null;
    if (p2 === 0x80) {
      ef = this.session.ef;
    } else if ((p2 & 0xe0) === 0x80) {
      if (this.behaviour.shortEfVerify !== "supported") return sw(this.behaviour.shortEfVerify);
      ef = p2 & 0x1f;
    } else {
      return sw(SW.wrongP1P2);
    }
    if (!app || ef === null) return sw(SW.noCurrentEf);
    const file = app.files.get(ef);
    if (!file) return sw(SW.fileNotFound);
    if (file.kind !== "pin") return sw(SW.incompatibleFile);
    if (p2 !== 0x80) this.session.ef = ef;
    const pin = file.pin;
    if (data === null) {
      // Empty VERIFY: report tries left, spend nothing. Blocked answers 63 C0.
      // After a correct PIN the card still answers 63 Cx (OpenSC PR #959).
      return sw(0x63c0 | (pin.triesLeft & 0x0f));
    }
    if (pin.triesLeft === 0) return sw(SW.refDataUnusable);
    if (equal(data, new TextEncoder().encode(pin.value))) {
      pin.triesLeft = pin.maxTries;
      this.session.verified.add(ef);
      return sw(SW.ok);
    }
    pin.triesLeft--;
    this.session.verified.delete(ef);
    return sw(0x63c0 | (pin.triesLeft & 0x0f));
  }
}

type Parsed = { cla: number; ins: number; p1: number; p2: number; data: Uint8Array | null; le: number | null };

/** Short APDUs only (cases 1-4); extended length is not used by the JPKI card. */
export function parseCommand(c: Uint8Array): Parsed | "wrong-length" {
  if (c.length < 4) return "wrong-length";
  const [cla, ins, p1, p2] = [c[0]!, c[1]!, c[2]!, c[3]!];
  if (c.length === 4) return { cla, ins, p1, p2, data: null, le: null };
  if (c.length === 5) return { cla, ins, p1, p2, data: null, le: c[4]! };
  const lc = c[4]!;
  if (lc === 0) return "wrong-length"; // extended length: not supported
  if (c.length === 5 + lc) return { cla, ins, p1, p2, data: c.subarray(5, 5 + lc), le: null };
  if (c.length === 6 + lc) return { cla, ins, p1, p2, data: c.subarray(5, 5 + lc), le: c[5 + lc]! };
  return "wrong-length";
}

export function sw(word: number): Uint8Array {
  return Uint8Array.of((word >> 8) & 0xff, word & 0xff);
}

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[\s:]/g, "");
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`not hex: ${s}`);
  return Uint8Array.from(Buffer.from(clean, "hex"));
}

export function toHex(b: Uint8Array, sep = ""): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0").toUpperCase()).join(sep);
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
