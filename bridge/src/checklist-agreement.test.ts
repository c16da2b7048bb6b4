/**
 * The doctor's checklist agrees with the verdict on every virtual profile
 * (through the in-memory transport): each blocker shows as a failed item,
 * each warning as a warning (or worse), and a card whose verdict is "ready"
 * has no failed item. Also with a certificate from a look-alike CA (the
 * issue's bug: "blocked" by cert-untrusted-issuer while every line said [ok]).
 */
import { FINDING_TABLE, findingItem, STATUS_OF_SEVERITY, statusOf, worse } from "@jpki-guard/shared/rules";
import {
  buildCard,
  caCertificate,
  endOfJapanDay,
  holderCertificate,
  namedProfile,
  PROFILE_NAMES,
  type ProfileSpec,
} from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";
import { testAnchor } from "./cert/facts.js";
import { MemoryTransport } from "./transport/memory.js";
import { runDoctor } from "./usecases/doctor.js";

const NOW = new Date("2026-11-26T03:00:00Z");

async function anchors() {
  return [testAnchor(await caCertificate("auth"), "auth"), testAnchor(await caCertificate("sign"), "sign")];
}

async function doctorOn(spec: ProfileSpec, withAnchors: boolean) {
  const transport = new MemoryTransport({ "Memory Reader 00 00": buildCard(spec) });
  return await runDoctor({
    transport,
    virtual: true,
    anchors: withAnchors ? await anchors() : [],
    judge: { on: NOW, action: "login", municipality: null },
    trace: false,
    installation: [],
  });
}

async function lookAlike(): Promise<ProfileSpec> {
  const spec = await namedProfile("valid", NOW);
  spec.authCertificate = await holderCertificate({
    kind: "auth",
    notBefore: new Date(NOW.getTime() - 86_400_000 * 30),
    notAfter: endOfJapanDay(NOW, 1000),
    issuer: "other",
  });
  return spec;
}

const CASES: [string, () => Promise<ProfileSpec>][] = [
  ...PROFILE_NAMES.map((p) => [p, () => namedProfile(p, NOW)] as [string, () => Promise<ProfileSpec>]),
  ["look-alike issuer", lookAlike],
];

describe("doctor's checklist agrees with the verdict, every virtual profile", () => {
  for (const [name, spec] of CASES)
    for (const withAnchors of [true, false])
      it(`${name}${withAnchors ? "" : " (test CA not trusted)"}`, async () => {
        const r = await doctorOn(await spec(), withAnchors);
        const status = new Map(r.items.map((i) => [i.id, statusOf(i)]));
        // Each finding's item is there, at least as bad as the finding says.
        for (const code of r.verdict.findings) {
          const row = FINDING_TABLE[code as "internal"];
          const want = STATUS_OF_SEVERITY[row.severity];
          if (want === "ok") continue;
          // Which side: a finding on the signature side has sign- in its code or params; the report keeps codes,
          // so look for the item of either side that the finding may name.
          const ids = (["auth", "sign"] as const)
            .map((which) => findingItem({ code: code as "internal", params: { which } }))
            .filter((id) => id !== null);
          expect(ids.length, code).toBeGreaterThan(0);
          const worst = ids.map((id) => status.get(id) ?? "ok").reduce(worse, "ok");
          expect(worse(worst, want), `${code} on ${ids.join("|")}: ${worst}`).toBe(worst);
          if (want === "fail") expect(worst).toBe("fail");
        }
        // Nothing fails that the verdict does not block, and a ready card has no failed card item. The
        // checklist serves both actions: an item fails when it blocks either (no signature certificate
        // fails its line while login is ready), so "ready" here means ready for both.
        const failed = r.items.filter((i) => statusOf(i) === "fail");
        const { login, sign } = r.verdict.readiness;
        if (login === "ready" && (sign === "ready" || sign === "unknown")) expect(failed.map((i) => i.id)).toEqual([]);
        if (failed.length > 0) expect([login, sign]).toContain("blocked");
      });

  it("a look-alike issuer: blocked, and the authentication certificate's line fails with what to do", async () => {
    const r = await doctorOn(await lookAlike(), true);
    expect(r.verdict.level).toBe("blocked");
    expect(r.verdict.findings).toContain("cert-untrusted-issuer");
    const auth = r.items.find((i) => i.id === "auth-certificate")!;
    expect(auth.status).toBe("fail");
    expect(auth.ok).toBe(false);
    expect(auth.detail).toMatch(/^\d{4}-\d{2}-\d{2} まで\(発行元: J-LIS 以外、署名の検証: 信頼できない発行元/);
    expect(auth.next?.ja).toBeTruthy();
  });

  it("1 try left is a warning, 0 a failure", async () => {
    const one = await doctorOn(await namedProfile("auth-pin-1-left", NOW), true);
    expect(one.items.find((i) => i.id === "auth-pin")?.status).toBe("warning");
    const zero = await doctorOn(await namedProfile("auth-pin-locked", NOW), true);
    expect(zero.items.find((i) => i.id === "auth-pin")?.status).toBe("fail");
  });
});
