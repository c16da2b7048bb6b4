/**
 * `jpki-guard install` / `uninstall`: writes the launcher and one host
 * manifest per browser (registry keys on Windows), from manifest-templates/.
 * Planning is separate from doing, so the macOS and Windows plans are
 * unit-tested on any machine.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, posix, win32 } from "node:path";
import { CHROME_EXTENSION_IDS } from "@jpki-guard/shared/ids";
import { CHROME_EXTENSION_ID, FIREFOX_ADDON_ID, JpkiGuardError } from "@jpki-guard/shared/rules";
import chromiumTemplate from "../../../manifest-templates/chromium.json";
import firefoxTemplate from "../../../manifest-templates/firefox.json";
import {
  BROWSERS,
  type Browser,
  HOST_NAME,
  installDir,
  isFirefox,
  launcherScript,
  manifestDir,
  type Platform,
  regAddCommand,
  regDeleteCommand,
  type Scope,
} from "./targets.js";

export const DEFAULT_EXTENSION_ID = CHROME_EXTENSION_ID;
export const DEFAULT_FIREFOX_ID = FIREFOX_ADDON_ID;

export type Action =
  /** Every folder this creates gets `mode`, whatever the umask. */
  | { kind: "mkdir"; path: string; mode: number }
  | { kind: "write"; path: string; content: string; mode: number }
  | { kind: "remove"; path: string }
  | { kind: "run"; argv: string[] };

export interface PlanOptions {
  browsers: Browser[];
  scope: Scope;
  platform: Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  node: string;
  hostScript: string;
  extensionIds: string[];
  firefoxIds: string[];
  /** Also (or only) a Chromium profile started with --user-data-dir: it looks in <dir>/NativeMessagingHosts. */
  chromiumUserDataDir?: string;
  /** The file system as the plan sees it (tests pass their own). */
  fs?: FsView;
  /** The CPU the host runs on (koffi's binary package is per OS and CPU); default: this one. */
  arch?: string;
}

export interface FsView {
  exists(path: string): boolean;
  lstat(path: string): { mode: number; uid: number; isSymbolicLink(): boolean; isDirectory(): boolean };
  /** A folder's entry names (for the host's own files and the packages it loads). */
  readdir(path: string): string[];
  realpath(path: string): string;
}

const realFs: FsView = {
  exists: (p) => existsSync(p),
  lstat: (p) => lstatSync(p),
  readdir: (p) => readdirSync(p),
  realpath: (p) => realpathSync(p),
};

/** More files than any host installation has: a tree this big is refused rather than walked without end. */
const MAX_LOADED_FILES = 5000;

/** Packages the host loads at run time (koffi, then its prebuilt binary for this OS). */
function koffiPackages(platform: Platform, arch: string): string[] {
  const os = platform === "win32" ? "win32" : platform;
  return ["koffi", `@koromix/koffi-${os}-${arch}`];
}

/** Where Node's lookup finds `name` from `fromDir` (NODE_PATH is cleared by every launcher): the path as found, not resolved. */
function findPackage(name: string, fromDir: string, fs: FsView): string | null {
  for (let d = fromDir; ; ) {
    const candidate = posix.join(d, "node_modules", name);
    if (fs.exists(posix.join(candidate, "package.json"))) return candidate;
    const up = posix.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/**
 * Every file the host will load: the host script, everything beside it (its
 * chunks), and the packages it imports (koffi, and koffi's binary for this
 * OS, as Node's lookup finds them). Each is given with whether it is a tree
 * to walk; links are followed to their target, whose folder chain is judged
 * as well as the link's.
 */
export function hostLoadedPaths(
  hostScript: string,
  platform: Platform,
  arch: string,
  fs: FsView = realFs,
): Array<{ path: string; tree: boolean }> {
  const dir = posix.dirname(hostScript);
  const out: Array<{ path: string; tree: boolean }> = [
    { path: hostScript, tree: false },
    { path: dir, tree: true },
  ];
  let from = dir;
  for (const name of koffiPackages(platform, arch)) {
    const found = findPackage(name, from, fs);
    if (found === null) break;
    out.push({ path: found, tree: true });
    from = fs.realpath(found);
  }
  return out;
}

/**
 * The host a manifest will start must not be changeable by other users: the
 * script, everything it loads (chunks, koffi and its binary), the Node
 * runtime and every folder above them up to / are not writable by group or
 * others (a sticky folder like /tmp is fine: others cannot replace what is
 * ours in it); for all users (`rootOwned`), every one of them also belongs
 * to root, or `sudo jpki-guard install --system` from a user's checkout would
 * point every user's browser at that user's code. Not checked on Windows
 * (ACLs, not modes).
 */
export function assertNotWritableByOthers(
  paths: Array<string | { path: string; tree: boolean }>,
  fs: FsView = realFs,
  platform: Platform = "linux",
  rootOwned = false,
): void {
  if (platform === "win32") return;
  const judged = new Set<string>();
  let count = 0;
  const judge = (p: string, st: ReturnType<FsView["lstat"]>) => {
    if (++count > MAX_LOADED_FILES)
      throw new JpkiGuardError(
        "bad-input",
        `more than ${MAX_LOADED_FILES} files to check: install from a release folder`,
      );
    if (st.isSymbolicLink()) return; // its own bits mean nothing: its folder and its target are judged
    const sticky = (st.mode & 0o1000) !== 0 && st.isDirectory();
    if ((st.mode & 0o022) !== 0 && !sticky)
      throw new JpkiGuardError(
        "bad-input",
        `${p} can be changed by other users (mode ${(st.mode & 0o7777).toString(8)}): a browser would run whatever is put there; install from a folder only you (or root) can write`,
      );
    if (rootOwned && st.uid !== 0)
      throw new JpkiGuardError(
        "bad-input",
        `${p} does not belong to root: an installation for all users would run code its owner can change; install from a root-owned folder (a release package)`,
      );
  };
  /** The path and every folder above it; a link's target likewise. */
  const chain = (start: string) => {
    for (let p = start; ; ) {
      if (judged.has(p)) return;
      judged.add(p);
      let st: ReturnType<FsView["lstat"]>;
      try {
        st = fs.lstat(p);
      } catch {
        return; // not there (yet): nothing to judge
      }
      judge(p, st);
      if (st.isSymbolicLink()) chain(fs.realpath(p));
      const up = posix.dirname(p);
      if (up === p) return;
      p = up;
    }
  };
  /** Every file and folder below `dir` (already judged itself), links included. */
  const tree = (dir: string) => {
    for (const name of fs.readdir(dir)) {
      const p = posix.join(dir, name);
      if (judged.has(p)) continue;
      judged.add(p);
      const st = fs.lstat(p);
      judge(p, st);
      if (st.isSymbolicLink()) {
        const target = fs.realpath(p);
        chain(target);
        if (fs.lstat(target).isDirectory()) tree(target);
      } else if (st.isDirectory()) tree(p);
    }
  };
  for (const entry of paths) {
    const { path, tree: walk } = typeof entry === "string" ? { path: entry, tree: false } : entry;
    chain(path);
    if (!walk) continue;
    let real: string;
    try {
      real = fs.realpath(path);
    } catch {
      continue;
    }
    chain(real);
    if (fs.lstat(real).isDirectory()) tree(real);
  }
}

const ID_RE = /^[a-p]{32}$/;
const FF_ID_RE = /^([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+|\{[0-9a-fA-F-]{36}\})$/;

export function validateIds(o: Pick<PlanOptions, "extensionIds" | "firefoxIds">): void {
  for (const id of o.extensionIds)
    if (!ID_RE.test(id))
      throw new JpkiGuardError("bad-input", `--extension-id ${id}: a Chrome extension id is 32 letters a-p`);
  for (const id of o.firefoxIds)
    if (!FF_ID_RE.test(id)) throw new JpkiGuardError("bad-input", `--firefox-id ${id}: expected name@domain or {uuid}`);
}

function manifestFor(b: Browser, launcher: string, o: PlanOptions): string {
  const m = structuredClone(isFirefox(b) ? firefoxTemplate : chromiumTemplate) as Record<string, unknown>;
  m.name = HOST_NAME;
  m.path = launcher;
  if (isFirefox(b)) m.allowed_extensions = o.firefoxIds;
  else m.allowed_origins = o.extensionIds.map((id) => `chrome-extension://${id}/`);
  return `${JSON.stringify(m, null, 2)}\n`;
}

export function origins(o: Pick<PlanOptions, "extensionIds" | "firefoxIds">): string[] {
  return [...o.extensionIds.map((id) => `chrome-extension://${id}/`), ...o.firefoxIds];
}

export function launcherPath(o: Pick<PlanOptions, "platform" | "scope" | "home" | "env">): string {
  const dir = installDir(o.platform, o.scope, o.home, o.env);
  return o.platform === "win32" ? win32.join(dir, "jpki-guard-host.bat") : posix.join(dir, "jpki-guard-host");
}

export function planInstall(o: PlanOptions): Action[] {
  validateIds(o);
  const fs = o.fs ?? realFs;
  assertNotWritableByOthers(
    [...hostLoadedPaths(o.hostScript, o.platform, o.arch ?? process.arch, fs), o.node],
    fs,
    o.platform,
    o.scope === "system",
  );
  const actions: Action[] = [];
  const dir = installDir(o.platform, o.scope, o.home, o.env);
  const launcher = launcherPath(o);
  actions.push({ kind: "mkdir", path: dir, mode: 0o755 });
  actions.push({
    kind: "write",
    path: launcher,
    content: launcherScript(o.platform, o.node, o.hostScript, origins(o)),
    mode: 0o755,
  });
  const join = o.platform === "win32" ? win32.join : posix.join;
  for (const b of o.browsers) {
    if (o.platform === "win32") {
      const path = join(dir, `${HOST_NAME}.${b}.json`);
      actions.push({ kind: "write", path, content: manifestFor(b, launcher, o), mode: 0o644 });
      actions.push({ kind: "run", argv: regAddCommand(b, o.scope, path, o.env) });
    } else {
      const mdir = manifestDir(b, o.platform, o.scope, o.home);
      actions.push({ kind: "mkdir", path: mdir, mode: 0o755 });
      actions.push({
        kind: "write",
        path: posix.join(mdir, `${HOST_NAME}.json`),
        content: manifestFor(b, launcher, o),
        mode: 0o644,
      });
    }
  }
  if (o.chromiumUserDataDir) {
    const mdir = join(o.chromiumUserDataDir, "NativeMessagingHosts");
    actions.push({ kind: "mkdir", path: mdir, mode: 0o755 });
    actions.push({
      kind: "write",
      path: join(mdir, `${HOST_NAME}.json`),
      content: manifestFor("chromium", launcher, o),
      mode: 0o644,
    });
  }
  return actions;
}

function manifestPath(b: Browser, o: Pick<PlanOptions, "platform" | "scope" | "home" | "env">): string {
  return o.platform === "win32"
    ? win32.join(installDir(o.platform, o.scope, o.home, o.env), `${HOST_NAME}.${b}.json`)
    : posix.join(manifestDir(b, o.platform, o.scope, o.home), `${HOST_NAME}.json`);
}

/**
 * Remove the manifests of the browsers asked for; the launcher goes only when
 * no other browser's manifest of this scope is left to use it.
 */
export function planUninstall(o: Omit<PlanOptions, "node" | "hostScript" | "extensionIds" | "firefoxIds">): Action[] {
  const fs = o.fs ?? realFs;
  const actions: Action[] = [];
  const removed = new Set<string>();
  for (const b of o.browsers) {
    const path = manifestPath(b, o);
    if (o.platform === "win32") actions.push({ kind: "run", argv: regDeleteCommand(b, o.scope, o.env) });
    actions.push({ kind: "remove", path });
    removed.add(path);
  }
  if (o.chromiumUserDataDir)
    actions.push({
      kind: "remove",
      path: (o.platform === "win32" ? win32.join : posix.join)(
        o.chromiumUserDataDir,
        "NativeMessagingHosts",
        `${HOST_NAME}.json`,
      ),
    });
  const stillUsed = BROWSERS.map((b) => manifestPath(b, o)).some((p) => !removed.has(p) && fs.exists(p));
  if (!stillUsed) actions.push({ kind: "remove", path: launcherPath(o) });
  return actions;
}

/** mkdir -p, then the given mode on each folder it created (the umask does not decide). */
function mkdirWithMode(path: string, mode: number): void {
  const created: string[] = [];
  let p = path;
  while (!existsSync(p)) {
    created.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  mkdirSync(path, { recursive: true, mode });
  for (const c of created) chmodSync(c, mode);
}

export function execute(actions: Action[]): string[] {
  const done: string[] = [];
  for (const a of actions) {
    switch (a.kind) {
      case "mkdir":
        mkdirWithMode(a.path, a.mode);
        break;
      case "write":
        mkdirWithMode(dirname(a.path), 0o755);
        writeFileSync(a.path, a.content, { mode: a.mode });
        chmodSync(a.path, a.mode);
        done.push(`wrote ${a.path}`);
        break;
      case "remove":
        if (existsSync(a.path)) {
          rmSync(a.path, { force: true });
          done.push(`removed ${a.path}`);
        }
        break;
      case "run":
        try {
          execFileSync(a.argv[0]!, a.argv.slice(1), { stdio: "ignore" });
          done.push(`ran ${a.argv.join(" ")}`);
        } catch (e) {
          if (a.argv[1] !== "delete") throw e;
        }
        break;
    }
  }
  return done;
}

export interface ManifestCheck {
  browser: Browser | "chromium-profile";
  path: string;
  ok: boolean;
  detail: string;
}

/** What `install` wrote, checked: for `doctor`. */
export function inspectInstall(o: {
  platform: Platform;
  scope: Scope;
  home: string;
  env: NodeJS.ProcessEnv;
  browsers?: Browser[];
  chromiumUserDataDir?: string;
}): ManifestCheck[] {
  if (o.platform === "win32") return [];
  const out: ManifestCheck[] = [];
  const targets: Array<[Browser | "chromium-profile", string]> = (o.browsers ?? [...BROWSERS]).map((b) => [
    b,
    posix.join(manifestDir(b, o.platform as "linux" | "darwin", o.scope, o.home), `${HOST_NAME}.json`),
  ]);
  if (o.chromiumUserDataDir)
    targets.push(["chromium-profile", posix.join(o.chromiumUserDataDir, "NativeMessagingHosts", `${HOST_NAME}.json`)]);
  for (const [browser, path] of targets) {
    if (!existsSync(path)) {
      out.push({ browser, path, ok: false, detail: "not installed" });
      continue;
    }
    try {
      const m = JSON.parse(readFileSync(path, "utf8")) as {
        path?: string;
        allowed_origins?: string[];
        allowed_extensions?: string[];
      };
      const launcher = m.path ?? "";
      const exec = existsSync(launcher) && (statSync(launcher).mode & 0o111) !== 0;
      const ids = m.allowed_origins ?? m.allowed_extensions ?? [];
      out.push({
        browser,
        path,
        ok: exec && ids.length > 0,
        detail: exec
          ? `launcher ${launcher}; allows ${ids.join(", ")}`
          : `launcher ${launcher} is missing or not executable`,
      });
    } catch (e) {
      out.push({ browser, path, ok: false, detail: `unreadable manifest: ${(e as Error).message}` });
    }
  }
  return out;
}

export function defaultPlanOptions(partial: Partial<PlanOptions> & { hostScript: string }): PlanOptions {
  return {
    browsers: partial.browsers ?? [...BROWSERS],
    scope: partial.scope ?? "user",
    platform: partial.platform ?? (process.platform as Platform),
    home: partial.home ?? homedir(),
    env: partial.env ?? process.env,
    node: partial.node ?? process.execPath,
    hostScript: partial.hostScript,
    // Default: the development id and each store's once known (shared/src/extension-ids.json).
    extensionIds: partial.extensionIds?.length ? partial.extensionIds : [...CHROME_EXTENSION_IDS],
    firefoxIds: partial.firefoxIds?.length ? partial.firefoxIds : [DEFAULT_FIREFOX_ID],
    chromiumUserDataDir: partial.chromiumUserDataDir,
  };
}
