/**
 * JPKI card operations: select the JPKI AP, read its files, PIN tries
 * without spending one, VERIFY with a PIN. Knows AIDs and EF ids (see
 * docs/card-reference.md); knows nothing about browsers or verdicts.
 *
 * Short-EF-id forms (READ BINARY P1 = 80|EF, VERIFY P2 = 80|EF) save a SELECT
 * each, but no real-card trace confirms them (docs/real-cards.md). So they are
 * used per card only while they behave: READ must answer 90 00 with data,
 * an empty VERIFY 63 Cx / 69 83 / 69 84. Any other answer makes this card use
 * the confirmed SELECT forms from then on (remembered in CardCapabilities
 * until the card changes). "File not found" and "security status not
 * satisfied" are about the file, not the form: those are asked again with
 * SELECT, without judging the form. A VERIFY carrying a PIN never probes: it
 * uses the short form only once an empty VERIFY confirmed it, and is sent
 * exactly once.
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import { type ApduChannel, type Response, swHex } from "../apdu/apdu.js";
import { derTotalLength, MAX_CERT_BYTES } from "../der.js";

export const AID_JPKI = Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);

export const JPKI_EF = {
  signCert: 0x0001,
  authCert: 0x000a,
  token: 0x0006,
  presence: 0x0008,
  authPin: 0x0018,
  signPin: 0x001b,
} as const;

export const TOKEN_MYNUMBER = "JPKIAPICCTOKEN2";
export const TOKEN_JUKI = "JPKIAPICCTOKEN";

export type PinRef = "auth" | "signature";
const PIN_EF: Record<PinRef, number> = { auth: JPKI_EF.authPin, signature: JPKI_EF.signPin };

/** What this card has shown about the short-EF forms; null = not tried yet. */
export interface CardCapabilities {
  shortRead: boolean | null;
  shortVerify: boolean | null;
}

export function freshCapabilities(): CardCapabilities {
  return { shortRead: null, shortVerify: null };
}

export type ReadResult = { status: "ok"; data: Uint8Array } | { status: "absent" } | { status: "needs-pin" };

export type PinStatus = { triesLeft: number; blocked: boolean };

export class JpkiCard {
  private selectedEf: number | null = null;

  constructor(
    readonly ch: ApduChannel,
    readonly caps: CardCapabilities = freshCapabilities(),
  ) {}

  /** SELECT the JPKI AP. Returns false when the card has no JPKI application. */
  async selectAp(): Promise<boolean> {
    const r = await this.ch.send({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: AID_JPKI });
    this.selectedEf = null;
    if (r.sw === 0x9000) return true;
    if (r.sw === 0x6a82 || r.sw === 0x6a86 || r.sw === 0x6d00 || r.sw === 0x6e00 || r.sw === 0x6999) return false;
    throw unexpected("SELECT JPKI AP", r);
  }

  private async selectEf(ef: number): Promise<"ok" | "absent"> {
    if (this.selectedEf === ef) return "ok";
    const r = await this.ch.send({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(ef >> 8, ef & 0xff) });
    if (r.sw === 0x9000) {
      this.selectedEf = ef;
      return "ok";
    }
    if (r.sw === 0x6a82) return "absent";
    throw unexpected(`SELECT EF ${ef.toString(16).padStart(4, "0")}`, r);
  }

  /**
   * READ BINARY at `offset` of `ef` (short EF id when the card takes it),
   * asking for `le` bytes. A short answer at the end of the file is normal.
   */
  private async readAt(ef: number, offset: number, le: number): Promise<Response | "absent"> {
    if (offset === 0 && this.caps.shortRead !== false && ef <= 0x1e) {
      const r = await this.ch.send({ cla: 0, ins: 0xb0, p1: 0x80 | ef, p2: 0, le });
      if ((r.sw === 0x9000 || r.sw === 0x6282) && r.data.length > 0) {
        this.caps.shortRead = true;
        this.selectedEf = ef; // short-EF READ BINARY makes it the current EF
        return r;
      }
      // Not found / needs a PIN: about the file; ask again the confirmed way. Anything else: not this form.
      if (r.sw !== 0x6a82 && r.sw !== 0x6982) this.caps.shortRead = false;
      this.selectedEf = null;
    }
    if (offset > 0x7fff) throw new JpkiGuardError("bad-response", "file offset beyond what READ BINARY can address");
    if ((await this.selectEf(ef)) === "absent") return "absent";
    return this.ch.send({ cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le });
  }

  /** Read a small transparent file whole (at most `max` bytes, one APDU when it fits). */
  async readSmallFile(ef: number, max = 256): Promise<ReadResult> {
    const r = await this.readAt(ef, 0, Math.min(max, 256));
    if (r === "absent" || r.sw === 0x6a82) return { status: "absent" };
    if (r.sw === 0x6982) return { status: "needs-pin" };
    if (r.sw === 0x9000 || r.sw === 0x6282) return { status: "ok", data: r.data.slice() };
    if (r.sw === 0x6b00) return { status: "ok", data: new Uint8Array(0) };
    throw unexpected(`READ BINARY ${ef.toString(16).padStart(4, "0")}`, r);
  }

  /**
   * Read a DER certificate of unknown length: the first 256-byte chunk holds
   * the header, which gives the total; the rest follows in <= 256-byte chunks.
   */
  async readCertificate(ef: number): Promise<ReadResult> {
    const first = await this.readAt(ef, 0, 256);
    if (first === "absent" || first.sw === 0x6a82) return { status: "absent" };
    if (first.sw === 0x6982) return { status: "needs-pin" };
    if (first.sw !== 0x9000 && first.sw !== 0x6282) throw unexpected("READ BINARY (certificate)", first);
    if (first.data.length === 0) return { status: "absent" };
    const total = derTotalLength(first.data);
    if (total > MAX_CERT_BYTES)
      throw new JpkiGuardError(
        "certificate-invalid",
        `the certificate claims ${total} bytes (more than ${MAX_CERT_BYTES})`,
      );
    const out = new Uint8Array(total);
    const firstPart = first.data.subarray(0, total);
    out.set(firstPart);
    let have = firstPart.length;
    while (have < total) {
      const want = Math.min(256, total - have);
      const r = await this.readAt(ef, have, want);
      if (r === "absent") throw new JpkiGuardError("bad-response", "the certificate file vanished during the read");
      if (r.sw !== 0x9000 && r.sw !== 0x6282) throw unexpected("READ BINARY (certificate)", r);
      if (r.data.length === 0)
        throw new JpkiGuardError("certificate-invalid", `the certificate file ends at ${have} of ${total} bytes`);
      const part = r.data.subarray(0, Math.min(r.data.length, total - have));
      out.set(part, have);
      have += part.length;
    }
    return { status: "ok", data: out };
  }

  /**
   * Does reading `ef` need a PIN right now (69 82)? After our own VERIFY and
   * re-selecting the AP, this confirms the logout. Uses the short form only
   * when this card has confirmed it.
   */
  async readNeedsPin(ef: number): Promise<boolean> {
    if (this.caps.shortRead === true && ef <= 0x1e) {
      const r = await this.ch.send({ cla: 0, ins: 0xb0, p1: 0x80 | ef, p2: 0, le: 1 });
      return r.sw === 0x6982;
    }
    if ((await this.selectEf(ef)) === "absent") return false;
    const r = await this.ch.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 });
    return r.sw === 0x6982;
  }

  /** Tries left for a PIN, by VERIFY without data: spends nothing. */
  async pinStatus(pin: PinRef): Promise<PinStatus> {
    const r = await this.verifyRaw(pin, undefined);
    return interpretPinSw(r, `VERIFY (${pin} PIN status)`);
  }

  /** VERIFY with a PIN. The caller has checked the format and the tries left. */
  async verify(pin: PinRef, value: Uint8Array): Promise<{ ok: true } | { ok: false; status: PinStatus }> {
    const r = await this.verifyRaw(pin, value);
    if (r.sw === 0x9000) return { ok: true };
    return { ok: false, status: interpretPinSw(r, `VERIFY (${pin} PIN)`) };
  }

  private async verifyRaw(pin: PinRef, value: Uint8Array | undefined): Promise<Response> {
    const ef = PIN_EF[pin];
    const data = value && value.length > 0 ? value : undefined;
    if (data !== undefined) {
      // With a PIN: one VERIFY, in a form this card has confirmed; never a probe, never repeated.
      if (this.caps.shortVerify === true)
        return this.ch.send({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 | ef, data, secret: true });
    } else if (this.caps.shortVerify === true || (this.caps.shortVerify === null && this.caps.shortRead !== false)) {
      // Empty VERIFY (spends nothing). A card that refused short reads is not asked: it likely has no short EF ids at all.
      const r = await this.ch.send({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 | ef });
      if ((r.sw & 0xfff0) === 0x63c0 || r.sw === 0x6983 || r.sw === 0x6984) {
        this.caps.shortVerify = true;
        this.selectedEf = ef;
        return r;
      }
      this.caps.shortVerify = false;
      this.selectedEf = null;
    }
    if ((await this.selectEf(ef)) === "absent")
      throw new JpkiGuardError("card-error", `the card has no ${pin} PIN (EF ${ef.toString(16).padStart(4, "0")})`);
    return this.ch.send({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data, secret: data !== undefined });
  }
}

function interpretPinSw(r: Response, what: string): PinStatus {
  if ((r.sw & 0xfff0) === 0x63c0) {
    const n = r.sw & 0x0f;
    return { triesLeft: n, blocked: n === 0 };
  }
  // 69 83 (method blocked) and 69 84 (reference data unusable) both mean blocked.
  if (r.sw === 0x6983 || r.sw === 0x6984) return { triesLeft: 0, blocked: true };
  throw unexpected(what, r);
}

function unexpected(what: string, r: Response): JpkiGuardError {
  return new JpkiGuardError("card-error", `${what}: the card answered ${swHex(r.sw)}`, { sw: swHex(r.sw) });
}
