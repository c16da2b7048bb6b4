import { readFileSync } from "node:fs";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { describe, expect, it } from "vitest";
import { JLIS_ANCHORS } from "./anchors.js";
import { bundledAnchors, dnString, testAnchor } from "./facts.js";

/** The subject key id, read independently with pkijs/asn1js. */
function skiOf(der: Uint8Array): string {
  const cert = new pkijs.Certificate({ schema: asn1js.fromBER(der.slice().buffer as ArrayBuffer).result });
  const ext = cert.extensions!.find((e) => e.extnID === "2.5.29.14")!;
  const v = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView.slice().buffer as ArrayBuffer).result;
  return Buffer.from((v as asn1js.OctetString).valueBlock.valueHexView).toString("hex");
}

describe("bundled J-LIS anchors", () => {
  it("match the PEM files in bridge/anchors (regenerate with scripts/gen-anchors.mjs)", () => {
    for (const a of JLIS_ANCHORS) {
      const file = readFileSync(new URL(`../../anchors/${a.file}`, import.meta.url), "utf8").trim();
      expect(a.pem).toBe(file);
    }
  });

  it("parse as the real J-LIS CAs with their key ids", () => {
    const anchors = bundledAnchors();
    expect(anchors).toHaveLength(4);
    for (const a of anchors) {
      expect(a.name).toContain("O=JPKI");
      expect(a.name).toContain("Japan Agency for Local Authority Information Systems");
      expect(a.ski).toMatch(/^[0-9a-f]{40}$/);
    }
    // The precomputed name and key id are what parsing the PEM gives.
    for (const a of anchors) {
      const der = new Uint8Array(a.cert.raw);
      expect(a.name).toBe(testAnchor(der, a.purpose).name);
      expect(a.name).toBe(dnString(a.cert.subject));
      expect(a.ski).toBe(skiOf(der));
    }
    const auth2023 = anchors.find((a) => a.purpose === "auth" && a.generation === "2023")!;
    expect(auth2023.ski).toBe("1ac100f596a3bc8c4b3df195e32699249e9e308a");
    expect(new Date(auth2023.cert.validTo).toISOString()).toBe("2033-07-15T14:59:59.000Z");
  });
});
