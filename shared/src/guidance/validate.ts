/**
 * Checks a contributed municipality file beyond its schema: the code names a
 * place in the national list and the names match it, dates are possible
 * (a page is not updated after it was read, nothing is in the future), and
 * each opening rule can happen. Every problem with its JSON path, Japanese first.
 */
import { placeByCode } from "./places.js";
import { type Municipality, MunicipalitySchema } from "./schema.js";

export interface FileProblem {
  path: string;
  ja: string;
  en: string;
}

const pathOf = (p: ReadonlyArray<PropertyKey>) =>
  p.length
    ? p
        .map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`))
        .join("")
        .replace(/^\./, "")
    : "(file)";

export function validateMunicipalityFile(data: unknown, today: string): FileProblem[] {
  const r = MunicipalitySchema.safeParse(data);
  if (!r.success)
    return r.error.issues.map((i) => ({
      path: pathOf(i.path),
      ja: `形式が正しくありません: ${i.message}`,
      en: i.message,
    }));
  return semanticProblems(r.data, today);
}

function semanticProblems(m: Municipality, today: string): FileProblem[] {
  const out: FileProblem[] = [];
  const place = placeByCode(m.code);
  if (!place)
    out.push({ path: "code", ja: "全国の市区町村一覧にないコードです", en: "the code is not in the national list" });
  else {
    if (m.name.ja !== place.fullName)
      out.push({
        path: "name.ja",
        ja: `コード ${m.code} の名前は「${place.fullName}」です`,
        en: `code ${m.code} is ${place.fullName}`,
      });
    if (m.prefecture.ja !== place.prefecture)
      out.push({
        path: "prefecture.ja",
        ja: `コード ${m.code} の都道府県は「${place.prefecture}」です`,
        en: `code ${m.code} is in ${place.prefecture}`,
      });
  }
  const sources: Array<[string, { updated: string | null; written: string }]> = [
    ["window.source", m.window.source],
    ["renewal.source", m.renewal.source],
  ];
  if (m.inquiries) sources.push(["inquiries.source", m.inquiries.source]);
  if (m.pinReset) sources.push(["pinReset.source", m.pinReset.source]);
  for (const [i, n] of (m.notes ?? []).entries()) sources.push([`notes[${i}].source`, n.source]);
  for (const [path, s] of sources) {
    if (s.updated !== null && s.updated > s.written)
      out.push({
        path: `${path}.updated`,
        ja: "ページの更新日が、このファイルを書いた日より後です",
        en: "the page's update date is after the day the file was written",
      });
    if (s.written > today) out.push({ path: `${path}.written`, ja: "未来の日付です", en: "the date is in the future" });
  }
  (m.window.hours ?? []).forEach((h, i) => {
    if (h.kind === "nth-weekday" && h.n === 5 && h.weekday !== undefined)
      out.push({
        path: `window.hours[${i}].n`,
        ja: "第5週の曜日は毎月あるとは限りません。毎月の規則ではなく hoursNote に書いてください",
        en: "a 5th weekday does not occur every month: describe it in hoursNote",
      });
  });
  if (m.renewal.reservationSince && m.renewal.reservationSince > today)
    out.push({ path: "renewal.reservationSince", ja: "未来の日付です", en: "the date is in the future" });
  return out;
}
