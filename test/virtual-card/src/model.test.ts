import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { holderCertificate } from "./certs.js";
import { hex, toHex } from "./model.js";
import { buildCard, namedProfile, ProfileError, profileFromFile } from "./profiles.js";

const SELECT_JPKI = "00A4040C0AD392F000260100000001";
const NOW = new Date("2026-11-26T00:00:00Z");

async function card(profile: Parameters<typeof namedProfile>[0] = "valid") {
  const c = buildCard(await namedProfile(profile, NOW));
  const tx = (h: string) => toHex(c.transmit(hex(h)));
  return { c, tx };
}

describe("virtual JPKI card: status words", () => {
  it("SELECT: JPKI AP ok, unknown AID 6A82, wrong P2 6A86", async () => {
    const { tx } = await card();
    expect(tx(SELECT_JPKI)).toBe("9000");
    expect(tx("00A4040C0AD392F000260100000099")).toBe("6A82");
    expect(tx("00A40405 0AD392F000260100000001".replace(" ", ""))).toBe("6A86");
  });

  it("unknown CLA 6E00, unknown INS 6D00, bad length 6700", async () => {
    const { tx } = await card();
    expect(tx("80A4040C0AD392F000260100000001")).toBe("6E00");
    expect(tx("00CA000000")).toBe("6D00");
    expect(tx("00A4")).toBe("6700");
    expect(tx("00A4040C05D392")).toBe("6700");
  });

  it("READ BINARY: token, offset past the end 6B00, short answer at the end", async () => {
    const { tx } = await card();
    tx(SELECT_JPKI);
    expect(tx("00B0860020")).toBe(`${toHex(new TextEncoder().encode("JPKIAPICCTOKEN2".padEnd(32)))}9000`);
    expect(tx("00A4020C020006")).toBe("9000");
    expect(tx("00B0002000")).toBe("6B00");
    expect(tx("00B0001E00")).toBe("20209000");
    expect(tx("00A4020C020099")).toBe("6A82");
  });

  it("EF 0001 needs the signature PIN; VERIFY empty answers 63Cx without spending", async () => {
    const { c, tx } = await card();
    tx(SELECT_JPKI);
    expect(tx("00B0810000")).toBe("6982");
    expect(tx("0020009B")).toBe("63C5");
    expect(tx("0020009B")).toBe("63C5");
    expect(tx(`0020009B06${toHex(new TextEncoder().encode("WRONG1"))}`)).toBe("63C4");
    expect(tx("0020009B")).toBe("63C4");
    expect(tx(`0020009B06${toHex(new TextEncoder().encode("ABC123"))}`)).toBe("9000");
    // after a correct PIN the empty VERIFY still answers 63 Cx (OpenSC PR #959)
    expect(tx("0020009B")).toBe("63C5");
    expect(tx("00B0810004").slice(-4)).toBe("9000");
    // re-selecting the AP drops the verified state
    tx(SELECT_JPKI);
    expect(tx("00B0810004")).toBe("6982");
    expect(c.pin(c.applications[0]!.aid, 0x1b)!.triesLeft).toBe(5);
  });

  it("the auth PIN blocks at 0: 63C0, then 6984 for VERIFY with data", async () => {
    const { tx } = await card("auth-pin-1-left");
    tx(SELECT_JPKI);
    expect(tx("00A4020C020018")).toBe("9000");
    expect(tx("00200080")).toBe("63C1");
    expect(tx(`0020008004${toHex(new TextEncoder().encode("9999"))}`)).toBe("63C0");
    expect(tx(`0020008004${toHex(new TextEncoder().encode("1234"))}`)).toBe("6984");
    expect(tx("00200080")).toBe("63C0");
  });

  it("no-short-ef rejects the short forms with 6A86", async () => {
    const { tx } = await card("no-short-ef");
    tx(SELECT_JPKI);
    expect(tx("00B08A0000")).toBe("6A86");
    expect(tx("00200098")).toBe("6A86");
  });

  it("t0-card answers 6Cxx for a wrong Le and 61xx + GET RESPONSE for a right one", async () => {
    const { tx } = await card("t0-card");
    tx(SELECT_JPKI);
    expect(tx("00B0880000")).toBe("6C03");
    expect(tx("00B0880003")).toBe("6103");
    expect(tx("00C0000003")).toBe("8F8F009000");
  });

  it("not-mynumber has no JPKI AP; the text AP has its own PIN", async () => {
    const nm = await card("not-mynumber");
    expect(nm.tx(SELECT_JPKI)).toBe("6A82");
    const { tx } = await card();
    expect(tx("00A4040C0AD3921000310001010408")).toBe("9000");
    expect(tx("00B0810000")).toBe("6982");
    expect(tx("00200091")).toBe("63C3");
  });

  it("removed-mid-read vanishes after 5 APDUs", async () => {
    const { c, tx } = await card("removed-mid-read");
    for (let i = 0; i < 5; i++) tx(SELECT_JPKI);
    expect(() => c.transmit(hex(SELECT_JPKI))).toThrow(/removed/);
  });
});

describe("profile JSON files", () => {
  const dir = mkdtempSync(join(tmpdir(), "jpki-profile-"));
  const write = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === "string" ? body : JSON.stringify(body));
    return p;
  };

  it("loads certificates relative to the file, PINs and tries", async () => {
    const der = await holderCertificate({
      kind: "auth",
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2027-01-01T14:59:59Z"),
    });
    writeFileSync(join(dir, "auth.der"), der);
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64")}\n-----END CERTIFICATE-----\n`;
    writeFileSync(join(dir, "auth.pem"), pem);
    for (const f of ["auth.der", "auth.pem"]) {
      const spec = await profileFromFile(
        write("p.json", {
          authCertificate: f,
          signatureCertificate: null,
          authPin: "9876",
          authPinTriesLeft: 2,
          atr: "contactless",
        }),
        NOW,
      );
      expect(toHex(spec.authCertificate!)).toBe(toHex(der));
      expect(spec.signatureCertificate).toBeNull();
      expect(spec.authPin).toBe("9876");
      expect(spec.authPinTriesLeft).toBe(2);
      expect(spec.atr.startsWith("3B888001")).toBe(true);
    }
  });

  it.each([
    ["unknown key", { authPinn: "1234" }, /authPinn|Unrecognized/i],
    ["bad PIN", { authPin: "12a4" }, /authPin must be exactly 4 digits/],
    ["lower-case signature PIN", { signaturePin: "abc123" }, /signaturePin/],
    ["too many tries", { authPinTriesLeft: 4 }, /authPinTriesLeft/],
    ["missing certificate file", { authCertificate: "nope.der" }, /cannot read/],
    ["bad ATR", { atr: "xyz" }, /atr/],
  ])("rejects %s with a clear message", async (_n, body, msg) => {
    await expect(profileFromFile(write("bad.json", body), NOW)).rejects.toThrow(msg);
    await expect(profileFromFile(write("bad.json", body), NOW)).rejects.toBeInstanceOf(ProfileError);
  });

  it("rejects invalid JSON", async () => {
    await expect(profileFromFile(write("bad.json", "{"), NOW)).rejects.toThrow(/not valid JSON/);
  });
});
