import { MUNICIPALITY_FILES } from "./municipalities.generated.js";
import { type Municipality, MunicipalitySchema } from "./schema.js";

export * from "./national.js";
export * from "./schedule.js";
export * from "./schema.js";

let cache: Map<string, Municipality> | null = null;

/** Every municipality data file, validated. */
export function municipalities(): Map<string, Municipality> {
  if (!cache) {
    cache = new Map();
    for (const [file, data] of Object.entries(MUNICIPALITY_FILES)) {
      const parsed = MunicipalitySchema.safeParse(data);
      if (!parsed.success) throw new Error(`guidance/municipalities/${file} is invalid: ${parsed.error.message}`);
      cache.set(parsed.data.id, parsed.data);
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
