/** The read-out code: round trip, no look-alike characters, the check character catches one wrong character. */
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "./findings.js";
import {
  decodeReadout,
  encodeReadout,
  READOUT_ALPHABET,
  READOUT_FINDINGS,
  type Readout,
  readoutFromReport,
  reportFromReadout,
} from "./readout.js";
import { ReportFileSchema } from "./report-file.js";

const SAMPLE: Readout = {
  version: 1,
  login: "attention",
  sign: "attention",
  authTries: 3,
  signTries: 1,
  authDays: 45,
  signDays: null,
  ec: false,
  findings: ["auth-cert-renewal-window", "sign-cert-not-checked", "sign-pin-last-try", "revocation-not-checked"],
  municipality: "142034",
  toolVersion: "0.1.0",
};

describe("read-out code", () => {
  it("round-trips a summary; short, grouped, from an alphabet without look-alikes", () => {
    const code = encodeReadout(SAMPLE);
    expect(code).toMatch(/^JG(-[2-9A-HJ-NP-Z]{1,4}){6}$/);
    expect(code.replace(/^JG-|-/g, "")).toHaveLength(23);
    for (const c of "01IO") expect(READOUT_ALPHABET).not.toContain(c);
    expect(decodeReadout(code)).toEqual(SAMPLE);
    // As typed on a phone call: lower case, spaces, full-width.
    expect(decodeReadout(code.toLowerCase().replaceAll("-", " "))).toEqual(SAMPLE);
    expect(
      decodeReadout(code.normalize("NFKC").replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))),
    ).toEqual(SAMPLE);
  });

  it("expired, unknown and absent values survive; no date is in it", () => {
    const r: Readout = { ...SAMPLE, authDays: -20, authTries: null, signTries: 0, municipality: null, ec: true };
    expect(decodeReadout(encodeReadout(r))).toEqual(r);
  });

  it("catches any single wrong character", () => {
    const code = encodeReadout(SAMPLE).replace(/^JG-|-/g, "");
    for (let i = 0; i < code.length; i++)
      for (const c of READOUT_ALPHABET) {
        if (c === code[i]) continue;
        const bad = code.slice(0, i) + c + code.slice(i + 1);
        expect(decodeReadout(`JG-${bad}`), `${i} ${c}`).toEqual({ problem: { kind: "check" } });
      }
    expect(decodeReadout("JG-1234")).toEqual({ problem: { kind: "length", got: 4 } });
    expect(decodeReadout(`JG-${"O".repeat(23)}`)).toEqual({ problem: { kind: "character", position: 1 } });
  });

  it("lists every finding code (append-only order)", () => {
    for (const f of FINDING_CODES) expect(READOUT_FINDINGS, f).toContain(f);
    expect(READOUT_FINDINGS.length).toBeLessThanOrEqual(40);
  });

  it("a code stands for a report of the report file's schema", () => {
    const r = reportFromReadout(SAMPLE, new Date("2026-12-01T03:00:00Z"));
    expect(ReportFileSchema.safeParse(r).success).toBe(true);
    expect(r.facts.authCertificate?.validTo).toBe("2027-01-15");
  });

  it("the page's finding codes travel in their own bits and come back as the page's, not the card's", () => {
    const withPage: Readout = { ...SAMPLE, findings: [...SAMPLE.findings, "official-app-not-detected"] };
    const decoded = decodeReadout(encodeReadout(withPage));
    if ("problem" in decoded) throw new Error("not decoded");
    expect(decoded.findings).toContain("official-app-not-detected");
    expect(decoded.version).toBe(1);
    const r = reportFromReadout(decoded, new Date("2026-12-01T03:00:00Z"));
    expect(ReportFileSchema.safeParse(r).success).toBe(true);
    expect(r.reportSchema).toBe(2);
    expect(r.page).toEqual({ findings: ["official-app-not-detected"] });
    expect(r.verdict.findings).toEqual(decoded.findings.filter((f) => f !== "official-app-not-detected"));
    // The code back from that report: the same findings (page and card).
    expect(readoutFromReport(r).findings.sort()).toEqual([...withPage.findings].sort());
    // A code without them: no page at all (nothing is said about a page nobody saw).
    const plain = reportFromReadout(SAMPLE, new Date("2026-12-01T03:00:00Z"));
    expect(plain.page).toBeUndefined();
    expect(plain.reportSchema).toBe(1);
  });
});
