// Builds the release artifacts into dist/release/ (called by scripts/package.sh after the build):
//   jpki-guard_<v>_amd64.deb                      dpkg-deb; Node 22 + the release bundle + koffi, system manifests
//   jpki-guard-<v>-windows-x64.msi                wixl; per user (HKCU, no admin rights)
//   jpki-guard-<v>-windows-x64-allusers.msi       wixl; per machine (HKLM, Program Files), for help desks
//   jpki-guard-<v>-macos.tar.gz                   Node 24 x64 + koffi (x64 and arm64 binaries), install.sh
//   jpki-guard-<v>-chrome.zip, -firefox.zip, -sources.zip   the extension (wxt zip)
//   SHA256SUMS
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { batLauncher, releaseScript, shLauncher } from "./launchers.mjs";
import { stage } from "./stage.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "dist/release");
const WORK = join(ROOT, "dist/package-work");
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
const readJson = (rel) => JSON.parse(readFileSync(join(ROOT, rel), "utf8"));
const IDS = readJson("shared/src/extension-ids.json");
/** Where browsers look for host manifests: the same table `jpki-guard install` and doctor use. */
const LOCATIONS = readJson("bridge/src/install/locations.json");
/** Where the .deb puts the app: the same table doctor tells release installs by. */
const DEB_DIR = LOCATIONS.release.linux;
/** The host manifests, from manifest-templates/ as `jpki-guard install` writes them. */
const CHROMIUM_TEMPLATE = readJson("manifest-templates/chromium.json");
const FIREFOX_TEMPLATE = readJson("manifest-templates/firefox.json");
/** The host's name: shared/src/native-host.json, the one source (the templates say {{name}}). */
const HOST_NAME = readJson("shared/src/native-host.json").name;
const EXTENSION_ID = IDS.chrome;
const FIREFOX_ID = IDS.firefox;
/** Every package allows exactly these callers. */
export const ALLOWED = [`chrome-extension://${EXTENSION_ID}/`, FIREFOX_ID];
const chromiumManifest = (path) =>
  `${JSON.stringify({ ...CHROMIUM_TEMPLATE, name: HOST_NAME, path, allowed_origins: [ALLOWED[0]] }, null, 2)}\n`;
const firefoxManifest = (path) =>
  `${JSON.stringify({ ...FIREFOX_TEMPLATE, name: HOST_NAME, path, allowed_extensions: [FIREFOX_ID] }, null, 2)}\n`;

/** The installed allow-list the host reads beside its app folder (`eol`: the OS's line end). */
const writeAllowed = (dir, eol = "\n") =>
  writeFileSync(join(dir, "allowed-origins.json"), `${JSON.stringify(ALLOWED, null, 2)}${eol}`);

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "inherit"], ...opts });
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

function normaliseModes(root, executables) {
  for (const p of [root, ...walk(root).map((f) => dirname(f))]) chmodSync(p, 0o755);
  for (const f of walk(root)) chmodSync(f, executables.has(f) ? 0o755 : 0o644);
}

// --- Linux ---------------------------------------------------------------------------------------
function deb() {
  const root = join(WORK, "deb");
  rmSync(root, { recursive: true, force: true });
  const lib = join(root, DEB_DIR.slice(1));
  const { node } = stage("linux", lib);
  writeAllowed(lib);
  writeFileSync(join(lib, "jpki-guard-host"), shLauncher(DEB_DIR, "jpki-guard-host.mjs"));
  mkdirSync(join(root, "usr/bin"), { recursive: true });
  writeFileSync(join(root, "usr/bin/jpki-guard"), shLauncher(DEB_DIR, "jpki-guard.mjs"));
  const written = new Set();
  for (const [browser, dir] of Object.entries(LOCATIONS.linuxSystem)) {
    if (written.has(dir)) continue; // Brave reads Chrome's folder
    written.add(dir);
    mkdirSync(join(root, dir), { recursive: true });
    const m = browser === "firefox" ? firefoxManifest : chromiumManifest;
    writeFileSync(join(root, dir, `${HOST_NAME}.json`), m(`${DEB_DIR}/jpki-guard-host`));
  }
  // The manual page, generated from the CLI's usage table (scripts/gen-usage.mts); gzip without a time stamp.
  const man1 = join(root, "usr/share/man/man1");
  mkdirSync(man1, { recursive: true });
  writeFileSync(join(man1, "jpki-guard.1.gz"), gzipSync(readFileSync(join(ROOT, "docs/jpki-guard.1")), { level: 9 }));
  const doc = join(root, "usr/share/doc/jpki-guard");
  mkdirSync(doc, { recursive: true });
  writeFileSync(
    join(doc, "copyright"),
    `jpki-guard: see the project's repository.\nBundled: Node.js (MIT, see ${DEB_DIR}/NODE-LICENSE), koffi (MIT, see app/node_modules/koffi/LICENSE.txt).\n`,
  );
  normaliseModes(root, new Set([node, join(lib, "jpki-guard-host"), join(root, "usr/bin/jpki-guard")]));
  const size = Math.ceil(walk(root).reduce((n, f) => n + statSync(f).size, 0) / 1024);
  mkdirSync(join(root, "DEBIAN"), { recursive: true });
  writeFileSync(
    join(root, "DEBIAN/control"),
    [
      "Package: jpki-guard",
      `Version: ${VERSION}`,
      "Architecture: amd64",
      "Maintainer: jpki-guard developers <jpki-guard@jpki-guard.org>",
      "Depends: pcscd, libpcsclite1",
      "Section: utils",
      "Priority: optional",
      `Installed-Size: ${size}`,
      "Homepage: https://jpki-guard.org/",
      "Description: checks a My Number card before Mynaportal login or e-Tax signing",
      " Reads the card's JPKI certificates and PIN counters through PC/SC (without",
      " spending a PIN try) and tells, in Japanese and English, whether login or",
      " signing will work and what to do next. Includes the jpki-guard command and",
      " the native-messaging host for the jpki-guard browser extension (Chrome,",
      " Chromium, Edge, Brave, Vivaldi, Firefox).",
      "",
    ].join("\n"),
  );
  chmodSync(join(root, "DEBIAN"), 0o755);
  chmodSync(join(root, "DEBIAN/control"), 0o644);
  const out = join(OUT, `jpki-guard_${VERSION}_amd64.deb`);
  sh("dpkg-deb", ["--root-owner-group", "-Zxz", "--build", root, out]);
  return out;
}

// --- Windows -------------------------------------------------------------------------------------
const xml = (s) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Registry keys per browser. */
const WINDOWS_KEYS = LOCATIONS.windowsRegistry;

function msi(perMachine) {
  const dir = join(WORK, perMachine ? "win-allusers" : "win");
  rmSync(dir, { recursive: true, force: true });
  stage("windows", dir);
  writeAllowed(dir, "\r\n");
  // Chrome and Firefox accept a manifest "path" relative to the manifest's folder on Windows.
  writeFileSync(join(dir, "jpki-guard-host.bat"), batLauncher("jpki-guard-host.mjs"));
  writeFileSync(join(dir, "jpki-guard.cmd"), batLauncher("jpki-guard.mjs"));
  writeFileSync(join(dir, `${HOST_NAME}.chromium.json`), chromiumManifest("jpki-guard-host.bat"));
  writeFileSync(join(dir, `${HOST_NAME}.firefox.json`), firefoxManifest("jpki-guard-host.bat"));

  let n = 0;
  const ids = new Map();
  const id = (p) => {
    if (!ids.has(p)) ids.set(p, `i${++n}`);
    return ids.get(p);
  };
  const root = perMachine ? "HKLM" : "HKCU";
  const dirXml = (d) => {
    const parts = [];
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) parts.push(`<Directory Id="d${id(p)}" Name="${xml(e.name)}">${dirXml(p)}</Directory>`);
      else
        parts.push(
          `<Component Id="c${id(p)}" Guid="*"><File Id="f${id(p)}" Source="${xml(relative(WORK, p).split(sep).join("/"))}" KeyPath="yes"/></Component>`,
        );
    }
    return parts.join("\n");
  };
  const regs = Object.entries(WINDOWS_KEYS)
    .map(
      ([b, key]) =>
        `<Component Id="reg_${b}" Guid="*"><RegistryValue Root="${root}" Key="${key}\\NativeMessagingHosts\\${HOST_NAME}" Type="string" Value="[INSTALLDIR]${HOST_NAME}.${b === "firefox" ? "firefox" : "chromium"}.json" KeyPath="yes"/></Component>`,
    )
    .join("\n");
  const installRoot = perMachine
    ? `<Directory Id="ProgramFiles64Folder"><Directory Id="INSTALLDIR" Name="jpki-guard">${dirXml(dir)}</Directory></Directory>`
    : `<Directory Id="LocalAppDataFolder"><Directory Id="Programs" Name="Programs"><Directory Id="INSTALLDIR" Name="jpki-guard">${dirXml(dir)}</Directory></Directory></Directory>`;
  const refs = [...ids.entries()]
    .filter(([p]) => !statSync(p).isDirectory())
    .map(([, i]) => `<ComponentRef Id="c${i}"/>`)
    .join("\n");
  // Stable UpgradeCodes so a newer package replaces an older one of the same kind.
  const upgrade = perMachine ? "6F1D2A3B-8C4E-4F5A-9B6C-7D8E9F0A1B2C" : "2C1B0A9F-8E7D-4C6B-9A5F-4E3D2C1B0A9F";
  const wxs = `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="jpki-guard${perMachine ? " (all users)" : ""}" Language="1033" Codepage="65001" Version="${VERSION}" Manufacturer="jpki-guard" UpgradeCode="${upgrade}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="${perMachine ? "perMachine" : "perUser"}" Description="jpki-guard card bridge ${VERSION}"/>
    <MajorUpgrade DowngradeErrorMessage="A newer jpki-guard is already installed."/>
    <Media Id="1" Cabinet="jpki.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      ${installRoot}
      <Component Id="registry" Guid="*"><RegistryValue Root="${root}" Key="Software\\jpki-guard" Name="InstallDir" Type="string" Value="[INSTALLDIR]" KeyPath="yes"/></Component>
      ${regs}
    </Directory>
    <Feature Id="main" Level="1">
      ${refs}
      <ComponentRef Id="registry"/>
      ${Object.keys(WINDOWS_KEYS)
        .map((b) => `<ComponentRef Id="reg_${b}"/>`)
        .join("\n      ")}
    </Feature>
  </Product>
</Wix>
`;
  const wxsPath = join(WORK, perMachine ? "jpki-guard-allusers.wxs" : "jpki-guard.wxs");
  writeFileSync(wxsPath, wxs);
  const out = join(OUT, `jpki-guard-${VERSION}-windows-x64${perMachine ? "-allusers" : ""}.msi`);
  sh("wixl", ["-a", "x64", "-o", out, wxsPath], { cwd: WORK });
  return out;
}

// --- macOS ---------------------------------------------------------------------------------------
function macos() {
  const base = join(WORK, "mac");
  rmSync(base, { recursive: true, force: true });
  const dir = join(base, "jpki-guard");
  const { node } = stage("macos", dir);
  writeAllowed(dir);
  // The scripts say @HOST_NAME@ and @CLEAN_ENV@: filled in from their one sources.
  for (const [from, to] of [
    ["macos-install.sh", "install.sh"],
    ["macos-uninstall.sh", "uninstall.sh"],
  ])
    writeFileSync(join(dir, to), releaseScript(from));
  // The manual page (man -l jpki-guard/jpki-guard.1), generated from the CLI's usage table.
  cpSync(join(ROOT, "docs/jpki-guard.1"), join(dir, "jpki-guard.1"));
  writeFileSync(join(dir, "chromium.json.in"), chromiumManifest("@HOST@"));
  writeFileSync(join(dir, "firefox.json.in"), firefoxManifest("@HOST@"));
  normaliseModes(base, new Set([node, join(dir, "install.sh"), join(dir, "uninstall.sh")]));
  const out = join(OUT, `jpki-guard-${VERSION}-macos.tar.gz`);
  sh("tar", ["--owner=0", "--group=0", "--numeric-owner", "-czf", out, "-C", base, "jpki-guard"]);
  return out;
}

// --- extension -----------------------------------------------------------------------------------
function extensionZips() {
  const ext = join(ROOT, "extension");
  const wxt = join(ext, "node_modules/.bin/wxt");
  const outDir = join(ext, ".output");
  for (const f of readdirSync(outDir).filter((f) => f.endsWith(".zip"))) rmSync(join(outDir, f));
  // WXT (Rollup) warns at length about comments inside zod: show its output only when it fails.
  for (const args of [["zip"], ["zip", "-b", "firefox", "--mv3"]]) {
    try {
      execFileSync(wxt, args, { cwd: ext, stdio: "pipe" });
    } catch (e) {
      process.stderr.write(`${e.stdout ?? ""}${e.stderr ?? ""}`);
      throw e;
    }
  }
  const zips = readdirSync(outDir).filter((f) => f.endsWith(".zip"));
  const pick = (re) => {
    const f = zips.find((z) => re.test(z));
    if (!f) throw new Error(`wxt zip made no ${re} (made: ${zips.join(", ")})`);
    return join(outDir, f);
  };
  const out = [];
  for (const [re, name] of [
    [/chrome\.zip$/, "chrome"],
    [/firefox\.zip$/, "firefox"],
    [/sources\.zip$/, "sources"],
  ]) {
    const to = join(OUT, `jpki-guard-${VERSION}-${name}.zip`);
    renameSync(pick(re), to);
    out.push(to);
  }
  return out;
}

function sha256(f) {
  return createHash("sha256").update(readFileSync(f)).digest("hex");
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
mkdirSync(WORK, { recursive: true });
const made = [deb(), msi(false), msi(true), macos(), ...extensionZips()];
writeFileSync(
  join(OUT, "SHA256SUMS"),
  `${made.map((f) => `${sha256(f)}  ${relative(OUT, f).split(sep).join("/")}`).join("\n")}\n`,
);
rmSync(WORK, { recursive: true, force: true });
for (const f of made) console.log(`${(statSync(f).size / 1048576).toFixed(1).padStart(6)} MiB  ${relative(ROOT, f)}`);
if (!existsSync(join(OUT, "SHA256SUMS"))) process.exit(1);
