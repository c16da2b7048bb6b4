/** The environment rules: every platform and brand judged on this machine through the same pure function. */
import { describe, expect, it } from "vitest";
import {
  BROWSER_BRANDS,
  brandFrom,
  ENVIRONMENT_RULES,
  type Environment,
  judgeEnvironment,
  OS_KINDS,
  PORTAL_IDS,
  windowsFrom,
} from "./environment.js";
import { FINDING_TABLE } from "./findings.js";
import { ACTIONS } from "./verdict.js";

const env = (o: Partial<Environment>): Environment => ({ os: "win", brand: "chrome", version: 140, windows: 11, ...o });
const codes = (e: Environment, portal: (typeof PORTAL_IDS)[number] | null, action: "login" | "sign") =>
  judgeEnvironment(e, portal, action).map((f) => f.code);

describe("environment rules (data)", () => {
  it("every rule names its source and date, and a finding of the page's own kind", () => {
    expect(ENVIRONMENT_RULES.length).toBeGreaterThan(0);
    for (const r of ENVIRONMENT_RULES) {
      expect(r.source.length, r.id).toBeGreaterThan(20);
      expect(r.date, r.id).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      expect(FINDING_TABLE[r.finding].source).toBe("page");
      expect(PORTAL_IDS).toContain(r.portal);
      expect(ACTIONS).toContain(r.action);
    }
    expect(new Set(ENVIRONMENT_RULES.map((r) => r.id)).size).toBe(ENVIRONMENT_RULES.length);
  });

  it("a rule resting on third-party reports says 'reported', with the report's date", () => {
    const reported = ENVIRONMENT_RULES.filter((r) => r.reported);
    expect(reported.length).toBeGreaterThan(0);
    for (const r of reported) {
      const [f] = judgeEnvironment(
        env({ os: r.when.os?.[0] ?? "win", windows: r.when.windows ?? null }),
        r.portal,
        r.action,
        [r],
      );
      expect(f!.text.ja).toContain("報告");
      expect(f!.text.en).toContain("reported");
      expect(f!.text.ja).toContain(r.date);
    }
  });
});

describe("judged per OS and browser brand", () => {
  for (const os of OS_KINDS)
    for (const brand of BROWSER_BRANDS)
      it(`${os} / ${brand}: Mynaportal login has no official path only on Linux`, () => {
        const e = env({ os, brand, windows: os === "win" ? 11 : null });
        expect(codes(e, "mynaportal", "login")).toEqual(os === "linux" ? ["env-no-official-app"] : []);
        // Signing on e-Gov, the 確定申告書等作成コーナー and user portals: no rule, nothing said.
        expect(codes(e, "egov", "sign")).toEqual([]);
        expect(codes(e, "keisan", "sign")).toEqual([]);
        expect(codes(e, null, "login")).toEqual([]);
      });

  it("Linux on Mynaportal: says there is no official path and names QR login and another computer, never an install", () => {
    const [f] = judgeEnvironment(env({ os: "linux", windows: null }), "mynaportal", "login");
    expect(f!.severity).toBe("blocker");
    expect(f!.affects).toEqual(["login"]);
    expect(f!.text.ja).toContain("Linux");
    expect(f!.text.ja).toContain("公式の方法はありません");
    expect(f!.text.en).toContain("no official way");
    expect(f!.steps.map((s) => s.code)).toEqual(["qr-login", "another-computer"]);
    expect(f!.steps[0]!.text.ja).toContain("2次元バーコード");
    expect(f!.steps[1]!.text.ja).toMatch(/Windows.*Mac/);
  });

  it("ChromeOS: no source says anything, so nothing is said (any portal, any action)", () => {
    for (const p of PORTAL_IDS)
      for (const a of ACTIONS) expect(codes(env({ os: "cros", windows: null }), p, a)).toEqual([]);
  });

  it("e-Tax signing on Windows 10 is reported; Windows 11, unknown Windows and macOS are not", () => {
    expect(codes(env({ windows: 10 }), "etax", "sign")).toEqual(["env-reported-unsupported"]);
    expect(codes(env({ windows: 10 }), "etax", "login")).toEqual([]);
    expect(codes(env({ windows: 11 }), "etax", "sign")).toEqual([]);
    expect(codes(env({ windows: null }), "etax", "sign")).toEqual([]);
    expect(codes(env({ os: "mac", windows: null }), "etax", "sign")).toEqual([]);
  });
});

describe("what the browser says of itself", () => {
  it("brands from navigator.userAgentData, Firefox from the runtime", () => {
    const grease = { brand: "Not)A;Brand", version: "99" };
    expect(
      brandFrom([grease, { brand: "Chromium", version: "140" }, { brand: "Google Chrome", version: "140" }], false),
    ).toEqual({ brand: "chrome", version: 140 });
    expect(
      brandFrom([grease, { brand: "Chromium", version: "141" }, { brand: "Microsoft Edge", version: "141" }], false),
    ).toEqual({ brand: "edge", version: 141 });
    expect(
      brandFrom(
        [
          { brand: "Brave", version: "140" },
          { brand: "Chromium", version: "140" },
        ],
        false,
      ).brand,
    ).toBe("brave");
    expect(
      brandFrom(
        [
          { brand: "Opera", version: "120" },
          { brand: "Chromium", version: "136" },
        ],
        false,
      ).brand,
    ).toBe("opera");
    expect(brandFrom([grease, { brand: "Chromium", version: "140" }], false)).toEqual({
      brand: "chromium",
      version: 140,
    });
    expect(brandFrom(null, false)).toEqual({ brand: "other", version: null });
    expect(brandFrom([{ brand: "Chromium", version: "x".repeat(50) }], false)).toEqual({
      brand: "chromium",
      version: null,
    });
    expect(brandFrom(null, true).brand).toBe("firefox");
  });

  it("Windows 10 or 11 from platformVersion; anything else is unknown", () => {
    expect(windowsFrom("win", "10.0.0")).toBe(10);
    expect(windowsFrom("win", "15.0.0")).toBe(11);
    expect(windowsFrom("win", "0.3.0")).toBeNull();
    expect(windowsFrom("win", "<b>")).toBeNull();
    expect(windowsFrom("win", null)).toBeNull();
    expect(windowsFrom("mac", "15.0.0")).toBeNull();
  });
});
