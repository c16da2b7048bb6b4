import { readdirSync, readFileSync } from "node:fs";
import holidayJp from "@holiday-jp/holiday_jp";
import { describe, expect, it } from "vitest";
import { CATALOGS, message } from "../messages.js";
import { PROTOCOL_ERROR_CODES } from "../protocol.js";
import { FINDING_CODES, LEVELS, STEP_CODES } from "../verdict.js";
import { HOLIDAYS_BY_YEAR } from "./holidays.generated.js";
import { municipalities } from "./index.js";
import { MUNICIPALITY_FILES } from "./municipalities.generated.js";
import { describeOpening, isJapaneseHoliday, nextOpening } from "./schedule.js";
import { MunicipalitySchema } from "./schema.js";
import { validateMunicipalityFile } from "./validate.js";

const dir = new URL("./municipalities/", import.meta.url);

describe("guidance data", () => {
  it("every municipality file validates against the schema", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = MunicipalitySchema.safeParse(JSON.parse(readFileSync(new URL(f, dir), "utf8")));
      expect(r.success, `${f}: ${r.error?.message}`).toBe(true);
      expect(r.data!.code).toBe(f.replace(/\.json$/, ""));
      // Names match the national list; dates are possible (as jpki-guard guidance validate checks).
      expect(validateMunicipalityFile(r.data, "2026-12-01"), f).toEqual([]);
    }
  });

  it("the generated index lists exactly the files (run pnpm build after adding one)", () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
    expect(Object.keys(MUNICIPALITY_FILES).sort()).toEqual(files);
    expect([...municipalities().keys()].length).toBe(files.length);
  });

  it("the holiday table holds exactly the library's dates (run pnpm build after updating @holiday-jp/holiday_jp)", () => {
    const theirs = Object.keys((holidayJp as unknown as { holidays: Record<string, unknown> }).holidays).sort();
    const ours = Object.entries(HOLIDAYS_BY_YEAR).flatMap(([y, days]) =>
      days.split(" ").map((md) => `${y}-${md.slice(0, 2)}-${md.slice(2)}`),
    );
    expect(ours.sort()).toEqual(theirs);
    for (const d of theirs.filter((x) => x >= "2025")) {
      const [year, month, day] = d.split("-").map(Number) as [number, number, number];
      expect(isJapaneseHoliday({ year, month, day }), d).toBe(true);
    }
    expect(isJapaneseHoliday({ year: 2026, month: 11, day: 24 })).toBe(false);
    expect(isJapaneseHoliday({ year: 2051, month: 1, day: 1 })).toBe(false);
  });

  it("the schema rejects a bad file with a clear message", () => {
    const h = structuredClone(municipalities().get("142034")) as unknown as Record<string, unknown>;
    (h.window as Record<string, unknown>).phone = "0463 71 6521";
    const r = MunicipalitySchema.safeParse(h);
    expect(r.success).toBe(false);
    expect(r.error!.message).toMatch(/phone must look like/);
  });
});

describe("Hiratsuka counter: next opening (Japan time)", () => {
  const h = municipalities().get("142034")!;
  const at = (iso: string) => nextOpening(h, new Date(iso))!;

  it("Friday evening -> Saturday 28 Nov (4th Saturday) morning", () => {
    const o = at("2026-11-27T10:00:00Z"); // Fri 19:00 JST
    expect(o.date).toBe("2026-11-28");
    expect(describeOpening(o).en).toBe("next open: Sat 28 Nov, 8:30-12:00");
    expect(describeOpening(o).ja).toBe("次の受付: 11月28日(土) 8:30〜12:00");
  });

  it("a 1st Saturday is closed; Monday opens", () => {
    expect(at("2026-12-05T01:00:00Z").date).toBe("2026-12-07");
  });

  it("the 2nd Sunday opens in the morning", () => {
    const o = at("2026-12-12T10:00:00Z"); // Sat 12 Dec 19:00 JST
    expect(o.date).toBe("2026-12-13");
    expect(o.close).toBe("12:00");
  });

  it("a public holiday on a weekday is closed (Mon 23 Nov 2026, Labour Thanksgiving)", () => {
    expect(at("2026-11-22T10:00:00Z").date).toBe("2026-11-24");
  });

  it("29 Dec - 3 Jan are closed; first opening is Mon 4 Jan 2027", () => {
    expect(at("2026-12-28T09:00:00Z").date).toBe("2027-01-04"); // 18:00 JST on the 28th
  });

  it("open now is reported with its closing time", () => {
    const o = at("2026-11-26T01:00:00Z"); // Thu 10:00 JST
    expect(o.openNow).toBe(true);
    expect(describeOpening(o).en).toBe("open now, until 17:00");
  });
});

describe("message catalogs", () => {
  it("Japanese and English have exactly the same keys", () => {
    expect(Object.keys(CATALOGS.ja).sort()).toEqual(Object.keys(CATALOGS.en).sort());
  });

  it("every finding code, step code and summary has text in both languages", () => {
    const params = {
      days: 1,
      date: "2027-01-01",
      opens: "2026-10-01",
      start: "2026-01-01",
      which: "auth",
      reader: "r",
      officeJa: "平塚市役所",
      officeEn: "Hiratsuka-shi City Hall",
      nameJa: "神奈川県平塚市",
      nameEn: "Hiratsuka-shi, Kanagawa",
      year: 2025,
      month: 1,
    };
    for (const lang of ["ja", "en"] as const) {
      for (const c of FINDING_CODES) expect(message(lang, `finding.${c}`, params).length).toBeGreaterThan(5);
      for (const c of STEP_CODES) expect(message(lang, `step.${c}`, params).length).toBeGreaterThan(5);
      for (const c of PROTOCOL_ERROR_CODES) expect(message(lang, `error.${c}`, params).length).toBeGreaterThan(5);
      for (const p of ["empty", "too-short", "too-long", "lower-case", "bad-character", "not-digits"])
        expect(message(lang, `pin-format.signature.${p}`).length).toBeGreaterThan(3);
      for (const a of ["login", "sign"])
        for (const l of LEVELS) expect(message(lang, `summary.${a}.${l}`)).toBeTruthy();
    }
  });
});
