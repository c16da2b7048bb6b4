/**
 * Whether the official Mynaportal app's native-messaging host is registered
 * with each browser on this machine, for `doctor` and `explain`. Read-only:
 * nothing is created, changed or started.
 *
 * Where: the places the browsers' own native-messaging lookup reads, as
 * `jpki-guard install` knows them for our host (targets.ts: manifest folders
 * per browser on Linux and macOS, for this user and for all users; registry
 * keys under HKCU and HKLM on Windows), asked for the official host names
 * instead (OFFICIAL_APP_HOSTS in shared/src/official-app.ts, with their
 * source). Nothing here says where the official installer puts its files.
 *
 * What is read: on Linux and macOS whether the manifest file is there and,
 * at most, whether it is JSON whose `name` is the host (nothing else in it is
 * looked at or kept); on Windows the key's default value, through reg.exe by
 * its absolute path (as install runs `reg.exe add`; one query per browser
 * and registry view), only to see that it names an absolute path (the file
 * is not opened). No path is ever reported.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { posix } from "node:path";
import {
  bilingual,
  type DoctorItem,
  OFFICIAL_APP_HOSTS,
  type OfficialAppHost,
  type Text,
} from "@jpki-guard/shared/rules";
import { readBounded } from "../bounded-read.js";
import { BROWSER_NAMES, BROWSERS, type Browser, manifestDir, regExe, registryKey, type Scope } from "./targets.js";

/** Which registry view to read: 32 or 64 (HKLM\Software is split on 64-bit Windows), null: reg.exe's own (HKCU\Software is shared). */
export type RegistryView = 32 | 64 | null;
/** A key's default value, "" when it has none, null when the key is not there; throws when the registry cannot be read at all. */
export type RegistryReader = (key: string, view: RegistryView) => string | null;

export interface OfficialHostFound {
  browser: Browser;
  host: OfficialAppHost;
  scope: Scope;
  /** Linux, macOS: the manifest is JSON naming the host. Windows: the key's value is an absolute path. */
  valid: boolean;
}

export interface OfficialHostProbe {
  platform: "linux" | "darwin" | "win32";
  /** Every registration seen, by browser, host name (current first) and scope. */
  found: OfficialHostFound[];
  /** Windows: the registry could not be read (reg.exe did not run), so nothing is known. */
  unreadable: boolean;
}

export interface OfficialHostEnv {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Tests: a folder standing for "/" (the all-users folders are looked for under it). */
  root?: string;
  exists?: (path: string) => boolean;
  /** A manifest's text (throws when it cannot be read). */
  readFile?: (path: string) => string;
  /** Windows (tests pass their own): default reg.exe query. */
  readRegistry?: RegistryReader;
}

const [CURRENT, OLDER] = OFFICIAL_APP_HOSTS.names;
const SCOPES: readonly Scope[] = ["user", "system"];
/** A manifest bigger than this is not one (a browser's manifest is a few hundred bytes). */
const MAX_MANIFEST = 64 * 1024;

/** A small regular file's text, opened without blocking (a FIFO in its place never hangs the doctor). */
function readSmallFile(path: string): string {
  const r = readBounded(path, MAX_MANIFEST);
  if ("error" in r || r.tooLarge) throw new Error("not a manifest-sized regular file");
  return r.bytes.toString("utf8");
}

function namesHost(path: string, host: string, readFile: (p: string) => string): boolean {
  try {
    const m: unknown = JSON.parse(readFile(path));
    return typeof m === "object" && m !== null && (m as { name?: unknown }).name === host;
  } catch {
    return false;
  }
}

/** Runs a program and returns its standard output; throws as execFileSync does (`status` 1: it exited with 1). */
export type Run = (file: string, args: string[]) => string;

const runQuiet: Run = (file, args) =>
  execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000, windowsHide: true });

/**
 * `reg query PARENT /s`'s answer, read as the keys right under a
 * NativeMessagingHosts key: each by its lower-cased name (the registry does
 * not mind case), with its default value ("" when it has none). The default
 * value's name is localised ("(Default)", "(既定)", "(par défaut)"), always in
 * parentheses; deeper keys and named values are not looked at.
 */
export function parseRegTree(out: string): Map<string, string> {
  const found = new Map<string, string>();
  let current: string | null = null;
  for (const line of out.split(/\r?\n/)) {
    if (/^HKEY_/i.test(line)) {
      const m = /\\NativeMessagingHosts\\([^\\]+?)\s*$/i.exec(line);
      current = m ? m[1]!.toLowerCase() : null;
      if (current !== null && !found.has(current)) found.set(current, "");
      continue;
    }
    const v = /^\s+\(.*?\)\s+REG_(?:EXPAND_)?SZ\s+(.*?)\s*$/.exec(line);
    if (current !== null && v && found.get(current) === "") found.set(current, v[1]!);
  }
  return found;
}

/**
 * reg.exe (by its absolute path, as install runs it), read-only: each
 * browser's NativeMessagingHosts key is asked once per registry view with
 * `query PARENT /s` (its hosts and their default values), and every host
 * name under it is answered from that (18 runs at most, not one per host
 * name). Exit 1 is "no such key"; anything else is "the registry cannot be
 * read" (thrown).
 */
export function regQuery(env: NodeJS.ProcessEnv, run: Run = runQuiet): RegistryReader {
  const trees = new Map<string, Map<string, string> | null>();
  return (key, view) => {
    const cut = key.lastIndexOf("\\");
    const parent = key.slice(0, cut);
    const id = `${parent.toLowerCase()}|${view ?? ""}`;
    if (!trees.has(id)) {
      let out: string | null = null;
      try {
        out = run(regExe(env), ["query", parent, "/s", ...(view ? [`/reg:${view}`] : [])]);
      } catch (e) {
        if ((e as { status?: unknown }).status !== 1) throw e;
      }
      trees.set(id, out === null ? null : parseRegTree(out));
    }
    return trees.get(id)?.get(key.slice(cut + 1).toLowerCase()) ?? null;
  };
}

/** Where the official host is registered on this machine; null on an OS with no official app and no lookup table (not Linux, macOS or Windows). */
export function probeOfficialHosts(o: OfficialHostEnv): OfficialHostProbe | null {
  const found: OfficialHostFound[] = [];
  if (o.platform === "win32") {
    const read = o.readRegistry ?? regQuery(o.env);
    try {
      for (const browser of BROWSERS)
        for (const host of OFFICIAL_APP_HOSTS.names)
          for (const scope of SCOPES) {
            // HKLM\Software has a 32-bit and a 64-bit view; the browsers read both.
            const views: RegistryView[] = scope === "user" ? [null] : [32, 64];
            for (const view of views) {
              const value = read(registryKey(browser, scope, host), view);
              if (value === null) continue;
              found.push({ browser, host, scope, valid: /^(?:[A-Za-z]:[\\/]|\\\\)/.test(value) });
              break;
            }
          }
    } catch {
      return { platform: "win32", found: [], unreadable: true };
    }
    return { platform: "win32", found, unreadable: false };
  }
  if (o.platform !== "linux" && o.platform !== "darwin") return null;
  const exists = o.exists ?? existsSync;
  const readFile = o.readFile ?? readSmallFile;
  for (const browser of BROWSERS)
    for (const host of OFFICIAL_APP_HOSTS.names)
      for (const scope of SCOPES) {
        const dir = manifestDir(browser, o.platform, scope, o.home);
        const path = posix.join(scope === "system" && o.root ? posix.join(o.root, dir) : dir, `${host}.json`);
        if (!exists(path)) continue;
        found.push({ browser, host, scope, valid: namesHost(path, host, readFile) });
      }
  return { platform: o.platform, found, unreadable: false };
}

const SCOPE_TEXT: Record<Scope, Text> = {
  user: { ja: "この利用者", en: "this user" },
  system: { ja: "全ユーザー", en: "all users" },
};

/** "Chrome(jp.go.cao.mpa: 全ユーザー)、Edge(…)" / "Chrome (jp.go.cao.mpa: all users), Edge (…)". */
function listFound(found: OfficialHostFound[]): Text {
  const per = (lang: "ja" | "en") =>
    BROWSERS.filter((b) => found.some((f) => f.browser === b))
      .map((b) => {
        const entries = found
          .filter((f) => f.browser === b)
          .map(
            (f) =>
              `${f.host}: ${SCOPE_TEXT[f.scope][lang]}${f.valid ? "" : lang === "ja" ? "、中身が正しくない" : ", not valid"}`,
          );
        return lang === "ja"
          ? `${BROWSER_NAMES[b]}(${entries.join("、")})`
          : `${BROWSER_NAMES[b]} (${entries.join("; ")})`;
      })
      .join(lang === "ja" ? "、" : ", ");
  return { ja: per("ja"), en: per("en") };
}

export interface OfficialAppJudgement {
  status: "ok" | "warning";
  text: Text;
  next?: Text;
}

/**
 * What the registration means. Linux: there is no official app, so its
 * absence is information (ok), and a registration found is some other
 * program's. Windows and macOS: the current host registered for a browser
 * is ok (only the registration was checked); only the older name, only
 * broken entries or nothing are warnings with where the official app comes
 * from.
 */
export function judgeOfficialHosts(p: OfficialHostProbe): OfficialAppJudgement {
  const list = listFound(p.found);
  if (p.platform === "linux") {
    const note = {
      ja: "Linux 用の公式アプリはありません(情報)。",
      en: "There is no official app for Linux (information).",
    };
    return p.found.length === 0
      ? {
          status: "ok",
          text: {
            ja: `${note.ja}公式アプリのホスト(${CURRENT}、${OLDER})の登録は、どのブラウザにも見つかりませんでした。`,
            en: `${note.en} The official app's host (${CURRENT}, ${OLDER}) was not found registered for any browser.`,
          },
        }
      : {
          status: "ok",
          text: {
            ja: `${note.ja}公式アプリと同じ名前のホストの登録が見つかりました: ${list.ja}。公式アプリのものではありません。`,
            en: `${note.en} A host under the official app's name is registered: ${list.en}. It is not the official app's.`,
          },
        };
  }
  const next = bilingual(p.platform === "win32" ? "step.official-app-windows" : "step.official-app-mac");
  if (p.unreadable)
    return {
      status: "warning",
      text: {
        ja: "レジストリを読めなかったため、公式アプリの登録を確かめられませんでした。",
        en: "The registry could not be read, so the official app's registration was not checked.",
      },
    };
  const valid = p.found.filter((f) => f.valid);
  const current = valid.filter((f) => f.host === CURRENT);
  if (current.length > 0) {
    const missing = BROWSERS.filter((b) => !current.some((f) => f.browser === b)).map((b) => BROWSER_NAMES[b]);
    return {
      status: "ok",
      text: {
        ja: `公式アプリのホストの登録が見つかりました: ${list.ja}。${missing.length ? `見つからなかったブラウザ: ${missing.join("、")}。` : ""}確かめたのは登録だけです(アプリが動くかは確かめていません)。`,
        en: `The official app's host is registered: ${list.en}.${missing.length ? ` Not found for: ${missing.join(", ")}.` : ""} Only the registration was checked, not whether the app runs.`,
      },
    };
  }
  if (valid.length > 0)
    return {
      status: "warning",
      text: {
        ja: `古い名前(${OLDER})の登録だけが見つかりました: ${list.ja}。今の公式拡張機能が使う名前は ${CURRENT} です。`,
        en: `Only the older name (${OLDER}) is registered: ${list.en}. The current official extension uses ${CURRENT}.`,
      },
      next,
    };
  if (p.found.length > 0)
    return {
      status: "warning",
      text: {
        ja: `公式アプリのホストの登録はありますが、中身が正しくありません: ${list.ja}。`,
        en: `The official app's host is registered, but not validly: ${list.en}.`,
      },
      next,
    };
  return {
    status: "warning",
    text: {
      ja: `公式アプリのホスト(${CURRENT}、古い名前 ${OLDER})の登録は、どのブラウザにも見つかりませんでした。`,
      en: `The official app's host (${CURRENT}, or the older ${OLDER}) was not found registered for any browser.`,
    },
    next,
  };
}

/** The doctor's "official-app" item. */
export function officialAppItem(p: OfficialHostProbe): DoctorItem {
  const j = judgeOfficialHosts(p);
  return {
    id: "official-app",
    ok: j.status === "ok",
    status: j.status,
    detail: `${j.text.ja} / ${j.text.en}`,
    ...(j.next ? { next: j.next } : {}),
  };
}
