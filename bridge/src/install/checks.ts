/**
 * The doctor's checklist items about this installation: the browsers found
 * (Linux), the host manifests (macOS), whether the official Mynaportal app's
 * host is registered (official-app.ts, read-only), and which installation is
 * running.
 * The CLI and the host compute them and pass them to the doctor use case,
 * which never looks at the file system or the process itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { bilingual, type DoctorItem } from "@jpki-guard/shared/rules";
import { VERSION } from "../version.js";
import LOCATIONS from "./locations.json";
import { officialAppItem, probeOfficialHosts, type RegistryReader } from "./official-app.js";

export interface InstallCheckEnv {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  /** The running script (process.argv[1]): tells a release install from a development checkout. */
  script: string;
  exists?: (path: string) => boolean;
  readFile?: (path: string) => string;
  /** Tests: a folder standing for "/" (for the official app's all-users folders). */
  root?: string;
  /** Windows, tests: the registry as the official app's check reads it (default: reg.exe query). */
  readRegistry?: RegistryReader;
}

/** Where each release package puts the app (one table with scripts/lib/package.mjs: locations.json). */
const RELEASE = LOCATIONS.release;

/** Which installation `script` belongs to; paths of release installs are fixed, anything else is a development checkout (reported without its path: it may name the user). */
export function installationKind(script: string): { name: string; host: string | null } {
  const norm = script.replaceAll("\\", "/");
  const under = (dir: string) => norm.toLowerCase().includes(`/${dir.toLowerCase()}/app/`);
  if (norm.startsWith(`${RELEASE.linux}/app/`))
    return { name: "Debian/Ubuntu package (.deb)", host: `${RELEASE.linux}/jpki-guard-host` };
  if (under(RELEASE.windowsAllUsers)) return { name: "Windows installer, all users (.msi)", host: null };
  if (under(RELEASE.windowsUser)) return { name: "Windows installer, this user (.msi)", host: null };
  if (norm.includes(`/${RELEASE.macos}/app/`)) return { name: "macOS install (install.sh)", host: null };
  return { name: "development checkout", host: null };
}

export async function installChecks(o: InstallCheckEnv): Promise<DoctorItem[]> {
  const exists = o.exists ?? existsSync;
  const readFile = o.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const items: DoctorItem[] = [];
  if (o.platform === "linux") {
    // One line per browser found: packaging, manifest, expected to work, next step (docs/linux-browsers.md).
    const { detectBrowsers } = await import("./sandbox.js");
    const found = detectBrowsers(o.home, { exists });
    if (found.length === 0)
      items.push({
        id: "browsers",
        ok: false,
        detail: "対応するブラウザが見つかりません / no supported browser found",
        next: bilingual("doctor.next.no-browser"),
      });
    for (const b of found)
      items.push({
        id: `browser-${b.browser}-${b.packaging}`,
        ok: b.expectedToWork,
        detail: `${b.text.ja} / ${b.text.en}`,
      });
  }
  if (o.platform === "darwin") {
    const { inspectInstall } = await import("./install.js");
    const checks = inspectInstall({ platform: o.platform, scope: "user", home: o.home, env: o.env });
    const installed = checks.filter((c) => c.detail !== "not installed");
    const good = installed.length > 0 && installed.every((c) => c.ok);
    items.push({
      id: "host-manifests",
      ok: good,
      detail:
        installed.length === 0
          ? "the native-messaging host is not installed for any browser of this user"
          : installed.map((c) => `${c.browser}: ${c.ok ? "ok" : "BROKEN"} (${c.detail})`).join("; "),
      next: good ? undefined : bilingual("doctor.next.install"),
    });
  }
  const official = probeOfficialHosts({
    platform: o.platform,
    home: o.home,
    env: o.env,
    root: o.root,
    exists: o.exists,
    readFile: o.readFile,
    readRegistry: o.readRegistry,
  });
  if (official) items.push(officialAppItem(official));
  items.push(await installationItem(o, readFile));
  return items;
}

/** Which installation is running, and which browsers' manifests point at its host. */
async function installationItem(o: InstallCheckEnv, readFile: (p: string) => string): Promise<DoctorItem> {
  const kind = installationKind(o.script);
  if (kind.host && o.platform === "linux") {
    const { BROWSERS, HOST_NAME, manifestDir } = await import("./targets.js");
    const ok: string[] = [];
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const b of BROWSERS) {
      const dir = manifestDir(b, "linux", "system", o.home);
      if (seen.has(dir)) continue; // Brave reads Chrome's folder
      seen.add(dir);
      try {
        const m = JSON.parse(readFile(`${dir}/${HOST_NAME}.json`)) as { path?: string };
        (m.path === kind.host ? ok : bad).push(b);
      } catch {
        bad.push(b);
      }
    }
    const pointing = `; manifests pointing at it: ${ok.join(", ") || "none"}${bad.length ? `; missing or elsewhere: ${bad.join(", ")}` : ""}`;
    return {
      id: "installation",
      ok: bad.length === 0,
      detail: `jpki-guard ${VERSION}, ${kind.name}${pointing}`,
      next: bad.length ? bilingual("doctor.next.reinstall") : undefined,
    };
  }
  return { id: "installation", ok: true, detail: `jpki-guard ${VERSION}, ${kind.name}` };
}
