/**
 * The next steps that depend on where the citizen lives: curated data for a
 * municipality that has it, else only what is true everywhere, naming the
 * citizen's own municipality (or ward) and the national helpline, and never
 * a counter's name, address, hours or phone that nobody wrote down for it.
 */
import { bilingual, type Params } from "../messages.js";
import { jstDate } from "../time.js";
import type { StepCode } from "../verdict.js";
import type { NextStep } from "../verdict-schema.js";
import type { Locality } from "./index.js";
import { HELPLINE } from "./national.js";
import { type Place, prefectureRomaji, sharesName } from "./places.js";
import { describeOpening, nextOpening } from "./schedule.js";
import type { Municipality, Text } from "./schema.js";

export function step(code: StepCode, params: Params = {}, url?: string): NextStep {
  return url
    ? { code, text: bilingual(`step.${code}`, params), url }
    : { code, text: bilingual(`step.${code}`, params) };
}

/**
 * The office that serves a place: 平塚市役所, 大阪市北区役所, 渋谷区役所, 寒川町役場;
 * a designated city: its ward offices. A name two places share says whose:
 * 府中市役所(東京都) / Fuchu City Hall (Tokyo).
 */
export function officeOf(p: Place): Text {
  const o = ownOffice(p);
  if (!sharesName(p)) return o;
  return { ja: `${o.ja}(${p.prefecture})`, en: `${o.en} (${prefectureRomaji(p)})` };
}

function ownOffice(p: Place): Text {
  switch (p.kind) {
    case "designated-city":
      return { ja: `${p.name}の区役所(お住まいの区)`, en: `the ward office of your ward in ${p.romaji}` };
    case "ward":
    case "special-ward":
      return { ja: `${p.fullName}役所`, en: `the ${p.romaji} ward office` };
    case "city":
      return { ja: `${p.name}役所`, en: `${p.romaji} City Hall` };
    default:
      return { ja: `${p.name}役場`, en: `the ${p.romaji} town/village office` };
  }
}

/** 神奈川県平塚市 / Hiratsuka-shi, Kanagawa. */
export function placeName(p: Place): Text {
  return { ja: `${p.prefecture}${p.fullName}`, en: `${p.romaji}, ${prefectureRomaji(p)}` };
}

function localParams(l: Locality | null): Params {
  if (!l) return {};
  const o = officeOf(l.place);
  const n = placeName(l.place);
  return { officeJa: o.ja, officeEn: o.en, nameJa: n.ja, nameEn: n.en };
}

const helplineParams: Params = {
  phone: HELPLINE.phone,
  foreign: HELPLINE.foreignPhone,
  wdOpen: HELPLINE.weekdays.open,
  wdClose: HELPLINE.weekdays.close,
  weOpen: HELPLINE.weekends.open,
  weClose: HELPLINE.weekends.close,
};

/**
 * Curated data older than two years says so: 「この情報は 2025年1月時点のものです。…」;
 * data from a page that shows no date of its own always says when it was written.
 */
export function asOfNotice(m: Municipality, now: Date): NextStep | null {
  const used = [m.window.source, m.renewal.source];
  const undated = used.find((s) => s.updated === null);
  if (undated) {
    const [y, mo] = undated.written.split("-").map(Number) as [number, number];
    return step("info-undated", { year: y, month: mo });
  }
  const oldest = used.map((s) => s.updated!).sort()[0]!;
  const [y, mo, d] = oldest.split("-").map(Number) as [number, number, number];
  const today = jstDate(now);
  const twoYearsLater = (y + 2) * 10000 + mo * 100 + d;
  if (today.year * 10000 + today.month * 100 + today.day <= twoYearsLater) return null;
  return step("info-as-of", { year: y, month: mo });
}

/** The curated municipality's name: 平塚市 / Hiratsuka City (a ward under its city's file: 横浜市港北区). */
function curatedName(l: Locality): Text {
  const m = l.curated!;
  if (l.place.code === m.code) return m.name;
  return { ja: l.place.fullName, en: `${m.name.en}, ${l.place.romaji.split(" ").slice(1).join(" ")}` };
}

/** Where to go and when it is next open: "平塚市 …窓口(本館3階 304会議室)TEL …。次の受付: 11月28日(土) 8:30〜12:00". */
export function counterStep(l: Locality | null, now: Date): NextStep {
  if (!l) return step("visit-counter");
  if (!l.curated) return step("visit-office", localParams(l));
  const m = l.curated;
  const opening = m.window.hours ? nextOpening(m, now) : null;
  const next = opening ? describeOpening(opening) : null;
  const name = curatedName(l);
  const s = step("visit-counter");
  s.text = {
    ja: `${name.ja} ${m.window.name.ja}(${m.window.place.ja})${m.window.phone ? `TEL ${m.window.phone}` : ""}${next ? `。${next.ja}` : ""}`,
    en: `${name.en}: ${m.window.name.en}, ${m.window.place.en}${m.window.phone ? `, phone ${m.window.phone}` : ""}${next ? `; ${next.en}` : ""}`,
  };
  return s;
}

/** What everyone outside curated data gets: their office, "check the page first", the national helpline. */
function everywhereSteps(l: Locality | null, first: StepCode): NextStep[] {
  return [
    step(first, localParams(l)),
    step(l ? "check-municipality-page" : "check-municipality-page-national", localParams(l)),
    step("national-helpline", helplineParams),
  ];
}

function withNotice(steps: NextStep[], l: Locality, now: Date): NextStep[] {
  const notice = asOfNotice(l.curated!, now);
  if (notice) steps.push(notice);
  return steps;
}

export function renewalSteps(l: Locality | null, now: Date): NextStep[] {
  if (!l?.curated) return everywhereSteps(l, l ? "renew-local" : "renew");
  const m = l.curated;
  const steps: NextStep[] = [];
  if (m.renewal.reservation) {
    const booking = step("renew-reservation", {}, m.renewal.reservationUrl);
    booking.text = m.renewal.reservation;
    steps.push(booking);
  }
  // The page does not say whether to book: the citizen checks before going.
  if (m.renewal.reservationRequired === null) steps.push(step("check-municipality-page", localParams(l)));
  if (m.renewal.noReservationContact) {
    const contact = step("window");
    contact.text = m.renewal.noReservationContact;
    steps.push(contact);
  }
  const inPerson = m.renewal.bringInPerson ?? [];
  const byProxy = m.renewal.bringByProxy ?? [];
  if (inPerson.length || byProxy.length) {
    const bring = step("renew-bring");
    bring.text = {
      ja: [
        inPerson.length ? `持ち物: ${inPerson.map((b) => b.ja).join("、")}。` : "",
        byProxy.length ? `代理人の場合: ${byProxy.map((b) => b.ja).join("、")}。` : "",
      ].join(""),
      en: [
        inPerson.length ? `Bring: ${inPerson.map((b) => b.en).join("; ")}.` : "",
        byProxy.length ? `A proxy brings: ${byProxy.map((b) => b.en).join("; ")}.` : "",
      ]
        .filter(Boolean)
        .join(" "),
    };
    steps.push(bring);
  }
  const notAccepted = m.renewal.notAccepted ?? [];
  if (notAccepted.length > 0) {
    const na = step("renew-not-accepted");
    na.text = {
      ja: `受け付けていないもの: ${notAccepted.map((b) => b.ja).join("、")}。`,
      en: `Not accepted: ${notAccepted.map((b) => b.en).join("; ")}.`,
    };
    steps.push(na);
  }
  steps.push(counterStep(l, now));
  return withNotice(steps, l, now);
}

/** Unlocking or resetting a PIN at the counter. */
export function unlockSteps(l: Locality | null, now: Date): NextStep[] {
  if (!l?.curated) return everywhereSteps(l, l ? "unlock-pin-local" : "unlock-pin-window");
  const m = l.curated;
  const s = [step("unlock-pin-window")];
  if (m.pinReset?.inPerson.length) {
    s[0]!.text = {
      ja: `窓口でロック解除と暗証番号の再設定ができます。持ち物: ${m.pinReset.inPerson.map((b) => b.ja).join("、")}。`,
      en: `The counter unlocks and resets PINs. Bring: ${m.pinReset.inPerson.map((b) => b.en).join("; ")}.`,
    };
  }
  const proxy = step("unlock-pin-proxy");
  if (m.pinReset?.byProxy) proxy.text = m.pinReset.byProxy;
  s.push(proxy);
  s.push(counterStep(l, now));
  return withNotice(s, l, now);
}

/** Issuing a missing certificate at the counter. */
export function issueSteps(l: Locality | null, now: Date): NextStep[] {
  if (!l) return [step("issue-certificate")];
  return [step("issue-certificate"), counterStep(l, now)];
}

/** The verdict's counter block: the curated counter, else the office that serves the place, else national. */
export function windowFor(l: Locality | null, now: Date, generic: Text) {
  if (!l) return { municipality: null, name: generic, place: null, phone: null, next: null, notice: null };
  if (!l.curated) {
    const o = officeOf(l.place);
    return {
      municipality: l.place.code,
      name: bilingual("window.local", { officeJa: o.ja, officeEn: o.en }),
      place: null,
      phone: null,
      next: null,
      notice: bilingual("window.local-note", localParams(l)),
    };
  }
  const m = l.curated;
  const opening = m.window.hours ? nextOpening(m, now) : null;
  const name = curatedName(l);
  return {
    municipality: l.place.code,
    name: { ja: `${name.ja} ${m.window.name.ja}`, en: `${name.en}: ${m.window.name.en}` },
    place: m.window.place,
    phone: m.window.phone ?? null,
    next: opening ? describeOpening(opening) : null,
    notice: asOfNotice(m, now)?.text ?? null,
  };
}
