/**
 * What the running browser says of itself, for the environment rules
 * (shared environment.ts): the OS from runtime.getPlatformInfo, the brand and
 * version from Chromium's navigator.userAgentData (Firefox: the runtime has
 * getBrowserInfo), Windows 10 or 11 from the high-entropy platformVersion.
 * The browser's APIs are passed in, so tests set any platform.
 */
import { brandFrom, type Environment, OS_KINDS, type OsKind, windowsFrom } from "@jpki-guard/shared";

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
