import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JLIS_ANCHORS } from "./anchors.js";
import { bundledAnchors, dnString, testAnchor } from "./facts.js";

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
      const parsed = testAnchor(new Uint8Array(a.cert.toSchema().toBER()), a.purpose);
      expect(a.name).toBe(parsed.name);
      expect(a.name).toBe(dnString(a.cert.subject));
      expect(a.ski).toBe(parsed.ski);
    }
    const auth2023 = anchors.find((a) => a.purpose === "auth" && a.generation === "2023")!;
    expect(auth2023.ski).toBe("1ac100f596a3bc8c4b3df195e32699249e9e308a");
    expect(auth2023.cert.notAfter.value.toISOString()).toBe("2033-07-15T14:59:59.000Z");
  });
});
