/**
 * The checklist never disagrees with the verdict: every finding code, on
 * either side, shows on its item with the status its severity maps to
 * (blocker: fail, warning: warning, information: ok), and the details never
 * put an English enum word inside the Japanese half.
 */
import { describe, expect, it } from "vitest";
import { cardChecklist, findingItem, itemStatuses, STATUS_OF_SEVERITY } from "./checklist.js";
import { FINDING_CODES, FINDING_TABLE, type FindingCode } from "./findings.js";
import type { ReportFacts } from "./report-schema.js";
import type { Finding } from "./verdict-schema.js";

const FACTS: ReportFacts = {
  checkedOn: "2026-11-26",
  reader: { model: "Memory Reader 00 00", virtual: false },
  card: { kind: "mynumber", atr: "3BE000FF8131FE4514" },
  presence: { auth: "present", signature: "present" },
  authCertificate: {
    validFrom: "2024-01-01",
    validTo: "2029-05-31",
    issuer: { kind: "unknown", generation: null, name: "C=JP, O=Not JPKI" },
    chain: "untrusted",
    keyAlgorithm: "RSA",
    keyBits: 2048,
    keyCurve: null,
  },
  signatureCertificate: null,
  pins: { auth: { triesLeft: 3, maxTries: 3, locked: false }, signature: { triesLeft: 5, maxTries: 5, locked: false } },
  notChecked: [],
  problems: [],
  apduCount: 9,
  cached: false,
};

function finding(code: FindingCode, which: "auth" | "sign"): Finding {
  return {
    code,
    severity: FINDING_TABLE[code].severity,
    affects: [],
    params: { which },
    text: { ja: "x", en: "x" },
    steps: [{ code: "report-problem", text: { ja: "次の一歩", en: "the next step" } }],
  };
}

/** English words the facts' enums use: none may stand in the Japanese half of a detail. */
const ENUM_WORDS =
  /\b(verified|untrusted|failed|anchor-not-bundled|jlis|test|unknown|present|absent|mynumber|juki|not-mynumber)\b/;

describe("checklist from the verdict (one mapping)", () => {
  for (const code of FINDING_CODES)
    for (const which of ["auth", "sign"] as const) {
      it(`${code} (${which}) shows on its item as ${STATUS_OF_SEVERITY[FINDING_TABLE[code].severity]}`, () => {
        const f = finding(code, which);
        const id = findingItem(f);
        const items = cardChecklist({ facts: FACTS, verdict: { findings: [f] }, readers: null });
        if (id === null) {
          // Only what this computer cannot check stays on the verdict line alone; a page's
          // environment is never on the card's checklist (the CLI cannot see a page).
          if (FINDING_TABLE[code].source !== "page") expect(FINDING_TABLE[code].severity).toBe("info");
          expect(items.every((i) => i.status === "ok")).toBe(true);
          return;
        }
        const item = items.find((i) => i.id === id);
        expect(item, `${code} -> ${id}`).toBeDefined();
        const want = STATUS_OF_SEVERITY[FINDING_TABLE[code].severity];
        expect(item!.status).toBe(want);
        expect(item!.ok).toBe(want === "ok");
        // A failed or warned item says what to do next: the finding's own first step.
        if (want !== "ok") expect(item!.next?.ja).toBe("次の一歩");
        // Every other item is ok: one finding, one item.
        expect(items.filter((i) => i.status !== "ok").length).toBe(want === "ok" ? 0 : 1);
      });
    }

  it("the worst finding decides an item (1 try left is a warning, 0 a failure, 2 is fine)", () => {
    const s = itemStatuses([finding("auth-pin-two-left", "auth")]);
    expect(s.get("auth-pin")?.status).toBe("ok");
    expect(itemStatuses([finding("auth-pin-last-try", "auth")]).get("auth-pin")?.status).toBe("warning");
    const locked = itemStatuses([finding("cert-test-ca", "auth"), finding("auth-cert-expired", "auth")]);
    expect(locked.get("auth-certificate")?.status).toBe("fail");
    expect(locked.get("auth-certificate")?.decisive?.code).toBe("auth-cert-expired");
  });

  it("an issuer that is not J-LIS fails the certificate item (the bug: it said [ok])", () => {
    const items = cardChecklist({
      facts: FACTS,
      verdict: { findings: [finding("cert-untrusted-issuer", "auth")] },
      readers: null,
    });
    const auth = items.find((i) => i.id === "auth-certificate")!;
    expect(auth.status).toBe("fail");
    expect(auth.detail).toContain("発行元: J-LIS 以外");
    expect(auth.detail).toContain("issuer: not J-LIS, chain: untrusted issuer");
  });

  it("details are Japanese first, with no English enum word in the Japanese half", () => {
    const variants: ReportFacts[] = [
      FACTS,
      { ...FACTS, authCertificate: null, presence: { auth: "absent", signature: "unknown" } },
      { ...FACTS, card: { kind: "juki", atr: "3B" } },
      { ...FACTS, pins: { ...FACTS.pins, auth: { triesLeft: null, maxTries: 3, locked: null } } },
    ];
    for (const facts of variants)
      for (const i of cardChecklist({ facts, verdict: { findings: [] }, readers: null })) {
        const ja = i.detail.split(" / ")[0]!;
        expect(ja, `${i.id}: ${i.detail}`).not.toMatch(ENUM_WORDS);
      }
  });
});
