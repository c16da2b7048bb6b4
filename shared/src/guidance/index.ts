import { MUNICIPALITY_FILES } from "./municipalities.generated.js";
import type { Municipality } from "./schema.js";

export * from "./national.js";
export * from "./schedule.js";
export type { Municipality, OpeningRule, Text } from "./schema.js";

let cache: Map<string, Municipality> | null = null;

/**
 * Every municipality data file. The files are part of the program, not input:
 * a unit test validates each against MunicipalitySchema (guidance.test.ts),
 * so running code does not parse them again (and need not load zod).
 */
export function municipalities(): Map<string, Municipality> {
  if (!cache) {
    cache = new Map();
    for (const data of Object.values(MUNICIPALITY_FILES)) {
      const m = data as Municipality;
      cache.set(m.id, m);
    }
  }
  return cache;
}

export const DEFAULT_MUNICIPALITY = "hiratsuka";

/** The municipality, or null: callers fall back to national guidance. */
export function municipality(id: string | null | undefined): Municipality | null {
  if (!id) return null;
  return municipalities().get(id) ?? null;
}
