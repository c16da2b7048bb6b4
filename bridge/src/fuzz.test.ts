/**
 * Malformed card answers and certificates: a typed error every time, never
 * a crash, a hang or a corrupt result.
 */
import { isJpkiGuardError } from "@jpki-guard/shared";
import { buildCard, holderCertificate, namedProfile } from "@jpki-guard/virtual-card";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApduChannel, decode } from "./apdu/apdu.js";
import { certificateFacts, parseCertificate } from "./cert/facts.js";
import { personalData } from "./cert/personal.js";
import { derTotalLength, MAX_CERT_BYTES } from "./der.js";
import { JpkiCard } from "./jpki/jpki.js";
import { MemoryTransport } from "./transport/memory.js";
import type { CardConnection } from "./transport/types.js";
import { checkCard } from "./usecases/check.js";

const typed = (e: unknown) => isJpkiGuardError(e);

function scripted(answers: Uint8Array[]): CardConnection {
  let i = 0;
  return {
    atr: Uint8Array.of(0x3b, 0x00),
    async eventCount() {
      return null;
    },
    async transmit() {
      const a = answers[i % Math.max(answers.length, 1)] ?? new Uint8Array(0);
      i++;
      return a;
    },
    async close() {},
  };
}

describe("response parsing", () => {
  it("decode: under 2 bytes or more than asked is bad-response; otherwise exact split", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (raw) => {
        try {
          const r = decode(raw);
          expect(r.data.length).toBe(raw.length - 2);
          expect(r.sw).toBe((raw[raw.length - 2]! << 8) | raw[raw.length - 1]!);
        } catch (e) {
          expect(typed(e)).toBe(true);
          expect(raw.length < 2 || raw.length > 258).toBe(true);
        }
      }),
    );
  });

  it("JPKI operations on random answers: typed errors or well-formed results, bounded APDUs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 270 }), { minLength: 1, maxLength: 12 }),
        async (answers) => {
          const ch = new ApduChannel(scripted(answers));
          const card = new JpkiCard(ch);
          for (const op of [
            () => card.selectAp(),
            () => card.pinStatus("auth"),
            () => card.readSmallFile(0x0008),
            () => card.readCertificate(0x000a),
          ]) {
            try {
              const r = await op();
              if (typeof r === "object" && r && "status" in r && r.status === "ok") {
                expect(r.data.length).toBeLessThanOrEqual(MAX_CERT_BYTES);
              }
            } catch (e) {
              expect(typed(e), String(e)).toBe(true);
            }
          }
          expect(ch.count).toBeLessThan(200);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a card that keeps answering 61 xx is cut off", async () => {
    const ch = new ApduChannel(scripted([Uint8Array.of(0x61, 0x10)]));
    await expect(ch.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 })).rejects.toMatchObject({ code: "bad-response" });
    expect(ch.count).toBeLessThanOrEqual(10);
  });

  it("answers longer than asked are refused", async () => {
    const ch = new ApduChannel(scripted([new Uint8Array([...new Uint8Array(10), 0x90, 0x00])]));
    await expect(ch.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4 })).rejects.toMatchObject({ code: "bad-response" });
  });

  it("a certificate header claiming a huge length is refused before reading it", async () => {
    const header = Uint8Array.of(0x30, 0x83, 0x7f, 0xff, 0xff, 0x90, 0x00);
    const ch = new ApduChannel(scripted([header]));
    await expect(new JpkiCard(ch).readCertificate(0x0a)).rejects.toMatchObject({ code: "certificate-invalid" });
    expect(ch.count).toBe(1);
  });

  it("derTotalLength rejects non-SEQUENCE and cut headers", () => {
    expect(() => derTotalLength(Uint8Array.of(0x31, 0x03))).toThrow();
    expect(() => derTotalLength(Uint8Array.of(0x30, 0x82, 0x01))).toThrow();
    expect(derTotalLength(Uint8Array.of(0x30, 0x82, 0x04, 0x69))).toBe(0x469 + 4);
    expect(derTotalLength(Uint8Array.of(0x30, 0x05))).toBe(7);
  });
});

describe("certificate parser", () => {
  it("truncated, bit-flipped and garbage certificates give certificate-invalid (or parse), never crash", async () => {
    const good = await holderCertificate({
      kind: "sign",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2029-01-01T14:59:59Z"),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 0, max: good.length - 1 }).map((n) => good.slice(0, n)),
          fc.tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const b = good.slice();
            b[i] = b[i]! ^ x;
            return b;
          }),
          fc.uint8Array({ maxLength: 3000 }),
        ),
        async (der) => {
          try {
            const f = await certificateFacts(der, "sign");
            expect(f.sizeBytes).toBe(der.length);
          } catch (e) {
            expect(typed(e), String(e)).toBe(true);
          }
          try {
            personalData(der);
          } catch (e) {
            expect(typed(e), String(e)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a lazily decoded malformed value (found by fast-check, seed 1582800124) is a typed error", async () => {
    const good = await holderCertificate({
      kind: "sign",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2029-01-01T14:59:59Z"),
    });
    // Turn the first otherName in subjectAltName ([0] constructed, A0) into a constructed UniversalString (3C).
    const san = Buffer.from(good).indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]));
    const at = Buffer.from(good).indexOf(0xa0, san + 8);
    const bad = good.slice();
    bad[at] = 0x3c;
    expect(() => personalData(bad)).toThrow(expect.objectContaining({ code: "certificate-invalid" }));
  });

  it("trailing bytes after the certificate are refused", async () => {
    const good = await holderCertificate({
      kind: "auth",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2029-01-01T14:59:59Z"),
    });
    expect(() => parseCertificate(Uint8Array.from([...good, 0]))).toThrow(/trailing/);
  });
});

describe("the whole check against a misbehaving card", () => {
  it("random corruption of the card's answers never yields a certificate that differs from the card's", async () => {
    const spec = await namedProfile("valid");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 300 }), async (apdu, byte) => {
        const card = buildCard(spec);
        const orig = card.transmit.bind(card);
        let n = 0;
        card.transmit = (c: Uint8Array) => {
          const r = orig(c);
          if (n++ === apdu && r.length > 0) {
            const out = r.slice(0, Math.min(byte, r.length));
            return out;
          }
          return r;
        };
        const { facts } = await checkCard({ transport: new MemoryTransport({ r: card }) });
        if (facts.authCertificate) {
          expect(facts.authCertificate.sizeBytes).toBe(spec.authCertificate!.length);
        } else {
          expect(facts.problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
