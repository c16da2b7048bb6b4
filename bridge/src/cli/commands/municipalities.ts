/** jpki-guard municipalities [QUERY] [--json]: the national list, searched as the popup searches it. */
import { allPlaces, municipalities, placeLabel, searchPlaces } from "@jpki-guard/shared/rules";
import type { Options, Out } from "../options.js";

export function listMunicipalities(query: string | null, opts: Options, io: Out): number {
  const places = query === null ? [...allPlaces()] : searchPlaces(query, Number.POSITIVE_INFINITY);
  const curated = municipalities();
  const isCurated = (code: string, parent: string | null) =>
    curated.has(code) || (parent !== null && curated.has(parent));
  const rows = places.map((p) => ({
    code: p.code,
    prefecture: p.prefecture,
    name: p.fullName,
    kana: p.kana,
    curated: isCurated(p.code, p.parent),
  }));
  if (opts.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout("見つかりません / no match\n");
    return 0;
  }
  for (const [i, r] of rows.entries())
    io.stdout(`${r.code}  ${placeLabel(places[i]!)}  (${r.kana})${r.curated ? "  [窓口情報あり / curated]" : ""}\n`);
  return 0;
}
