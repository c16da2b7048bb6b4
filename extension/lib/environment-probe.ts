/**
 * What the running browser says of itself, for the environment rules
 * (shared environment.ts): the OS from runtime.getPlatformInfo, the brand and
 * version from Chromium's navigator.userAgentData (Firefox: the runtime has
 * getBrowserInfo), Windows 10 or 11 from the high-entropy platformVersion.
 * The browser's APIs are passed in, so tests set any platform.
 */
import {
  BROWSER_BRANDS,
  type BrowserBrand,
  brandFrom,
  type Environment,
  OS_KINDS,
  type OsKind,
  windowsFrom,
} from "@jpki-guard/shared";

export interface EnvironmentApis {
  getPlatformInfo(): Promise<{ os: string }>;
  /** Firefox only. */
  getBrowserInfo?: () => Promise<{ name: string; version: string }>;
  userAgentData?: {
    brands?: ReadonlyArray<{ brand: string; version: string }>;
    getHighEntropyValues?(hints: string[]): Promise<{ platformVersion?: string }>;
  } | null;
}

export async function probeEnvironment(api: EnvironmentApis): Promise<Environment> {
  const info = await api.getPlatformInfo();
  const os: OsKind = (OS_KINDS as readonly string[]).includes(info.os) ? (info.os as OsKind) : "other";
  if (api.getBrowserInfo) {
    const b = await api.getBrowserInfo().catch(() => null);
    const v = b ? Number.parseInt(b.version, 10) : Number.NaN;
    return { os, brand: "firefox", version: Number.isFinite(v) && v > 0 && v < 10_000 ? v : null, windows: null };
  }
  const { brand, version } = brandFrom(api.userAgentData?.brands ?? null, false);
  let platformVersion: string | null = null;
  if (os === "win" && api.userAgentData?.getHighEntropyValues) {
    const h = await api.userAgentData.getHighEntropyValues(["platformVersion"]).catch(() => null);
    platformVersion = typeof h?.platformVersion === "string" ? h.platformVersion.slice(0, 32) : null;
  }
  return { os, brand, version, windows: windowsFrom(os, platformVersion) };
}

/**
 * The storage.local key under which the end-to-end tests put the platform
 * they mean (`{ os, brand, version, windows }`), so that the Linux test
 * machine can play Windows, macOS or Linux. Only the e2e build
 * (`wxt build --mode e2e`, `__JPKI_GUARD_E2E__` true: lib/build-flags.ts)
 * reads it; the release build never does (the code is not even in it).
 */
export const TEST_ENVIRONMENT_KEY = "jpkiGuardTestEnvironment";

/** A test's platform, checked like any input: anything not exactly an Environment is null. */
export function parseTestEnvironment(raw: unknown): Environment | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (Object.keys(r).some((k) => !["os", "brand", "version", "windows"].includes(k))) return null;
  if (!(OS_KINDS as readonly unknown[]).includes(r.os)) return null;
  if (!(BROWSER_BRANDS as readonly unknown[]).includes(r.brand)) return null;
  const version = r.version ?? null;
  if (version !== null && !(Number.isInteger(version) && (version as number) > 0 && (version as number) < 10_000))
    return null;
  const windows = r.windows ?? null;
  if (windows !== null && windows !== 10 && windows !== 11) return null;
  return { os: r.os as OsKind, brand: r.brand as BrowserBrand, version: version as number | null, windows };
}

/**
 * The environment the background judges: with `testHooks` (the e2e build
 * only) a valid test platform from storage wins; otherwise, and always in
 * the release build, what the browser says of itself.
 */
export async function browserEnvironment(
  api: EnvironmentApis,
  testHooks: boolean,
  readTest: () => Promise<unknown>,
): Promise<Environment> {
  if (testHooks) {
    const t = parseTestEnvironment(await readTest().catch(() => null));
    if (t) return t;
  }
  return probeEnvironment(api);
}
