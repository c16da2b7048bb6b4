import { MUNICIPALITY_FILES } from "./municipalities.generated.js";
import { type Place, placeByCode, type Resolution, resolvePlace } from "./places.js";
import type { Municipality } from "./schema.js";

export * from "./national.js";
export * from "./places.js";
export * from "./schedule.js";
export type { Municipality, OpeningRule, Source, Text } from "./schema.js";

let cache: { byCode: Map<string, Municipality>; aliases: Map<string, string> } | null = null;

function load() {
  if (!cache) {
    const byCode = new Map<string, Municipality>();
    const aliases = new Map<string, string>();
    for (const data of Object.values(MUNICIPALITY_FILES)) {
      const m = data as Municipality;
      byCode.set(m.code, m);
      for (const a of m.aliases ?? []) aliases.set(a, m.code);
    }
    cache = { byCode, aliases };
  }
  return cache;
}

/**
 * Every curated municipality data file, by code. The files are part of the
 * program, not input: a unit test validates each against MunicipalitySchema
 * (guidance.test.ts), so running code does not parse them again (and need
 * not load zod).
 */
export function municipalities(): Map<string, Municipality> {
  return load().byCode;
}

/** Older ids that still name a municipality (hiratsuka -> 142034). */
export function municipalityAliases(): ReadonlyMap<string, string> {
  return load().aliases;
}

/**
 * Whose guidance: the citizen's municipality (or designated-city ward) from
 * the national list, and the curated data that applies to it, if any (a
 * ward without its own file takes its city's).
 */
export interface Locality {
  place: Place;
  curated: Municipality | null;
}

/** A code or an older id -> the locality, or null (national guidance). Nothing fuzzy: see resolveLocality. */
export function locality(codeOrId: string | null | undefined): Locality | null {
  if (!codeOrId) return null;
  const code = load().aliases.get(codeOrId) ?? codeOrId;
  const place = /^\d{6}$/.test(code) ? placeByCode(code) : null;
  if (!place) return null;
  const curated = load().byCode.get(place.code) ?? (place.parent ? (load().byCode.get(place.parent) ?? null) : null);
  return { place, curated };
}

/** What a person typed (code, name, kana, prefecture + name, city + ward, or an older id). */
export function resolveLocality(input: string): Resolution {
  return resolvePlace(input, load().aliases);
}
