/** --municipality that names no single place: a usage error that lists what it could mean. */
import { placeLabel, type Resolution } from "@jpki-guard/shared/rules";
import { UsageError } from "../usage.js";

export function municipalityProblem(r: Exclude<Resolution, { kind: "found" }>): UsageError {
  // What was typed is not repeated (it may be anything); the candidates come from our own list.
  if (r.kind === "ambiguous") {
    const list = r.candidates.map((p) => `  ${p.code} ${placeLabel(p)}`).join("\n");
    return new UsageError(
      `--municipality: 同じ名前が ${r.candidates.length} か所あります。コードか都道府県名つきで指定してください / that name matches ${r.candidates.length} places; give the code or the prefecture too:\n${list}`,
    );
  }
  const list = r.closest.map((p) => `  ${p.code} ${placeLabel(p)}`).join("\n");
  return new UsageError(
    `--municipality: 見つかりません。近いもの / not found; the closest:\n${list}\n(jpki-guard municipalities QUERY で探せます / search with jpki-guard municipalities QUERY)`,
  );
}
