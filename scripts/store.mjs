#!/usr/bin/env node
// The store submission kit, for a maintainer who holds the store accounts (nothing here uploads
// or signs from a machine without them):
//
//   node scripts/store.mjs kit            dist/store/: the Chrome Web Store / Edge Add-ons upload zip
//                                         (the Chrome build without its development "key": the stores
//                                         assign their own ids), listing texts (ja/en), privacy
//                                         policy, permission reasons; checked against the manifest.
//                                         scripts/package.sh runs this.
//   node scripts/store.mjs sign-firefox   signs and submits the Firefox build to AMO with web-ext;
//                                         credentials from AMO_JWT_ISSUER and AMO_JWT_SECRET.
//   node scripts/store.mjs upload-chrome  uploads dist/store's zip to the Chrome Web Store and
//                                         publishes it (Chrome Web Store API v1.1: CWS_CLIENT_ID,
//                                         CWS_CLIENT_SECRET, CWS_REFRESH_TOKEN, CWS_ITEM_ID).
//   node scripts/store.mjs upload-edge    uploads the same zip to Edge Add-ons and submits it
//                                         (Edge Add-ons API v1.1: EDGE_CLIENT_ID, EDGE_API_KEY,
//                                         EDGE_PRODUCT_ID).
// The two upload commands follow the stores' published API documentation; nothing here can reach
// the stores, so their tests check the requests they would send, not an upload.
//
// When a store assigns an id, put it in shared/src/extension-ids.json "stores": every host package
// and `jpki-guard install` then allow it (scripts/lib/allowed.mjs).
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STORE = join(ROOT, "store");
const OUT = join(ROOT, "dist/store");
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
/** web-ext, pinned: run through npx on the maintainer's machine (not a dependency of the build). */
const WEB_EXT = "web-ext@10.7.0";

/** What the manifest asks for: permissions, host permissions (also optional) and content scripts. */
export function askedFor(manifest) {
  return [
    ...(manifest.permissions ?? []),
    ...(manifest.host_permissions ?? []),
    ...(manifest.optional_host_permissions ?? []),
    ...(manifest.content_scripts?.length ? ["content_scripts"] : []),
  ].sort();
}

/** Throws unless every permission has its reason (ja and en) and no reason is left over. */
export function checkKit(manifest, reasons = JSON.parse(readFileSync(join(STORE, "permissions.json"), "utf8"))) {
  const given = Object.keys(reasons)
    .filter((k) => !k.startsWith("$"))
    .sort();
  const asked = askedFor(manifest);
  const missing = asked.filter((p) => !given.includes(p));
  const stale = given.filter((p) => !asked.includes(p));
  const empty = given.filter((p) => !reasons[p]?.ja || !reasons[p]?.en);
  if (missing.length || stale.length || empty.length)
    throw new Error(
      `store/permissions.json does not match the manifest: without a reason ${JSON.stringify(missing)}, reasons for what is not asked ${JSON.stringify(stale)}, without both languages ${JSON.stringify(empty)}`,
    );
  for (const f of ["listing.ja.md", "listing.en.md", "privacy-policy.md"])
    if (!existsSync(join(STORE, f))) throw new Error(`store/${f} is missing`);
}

function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
  );
}

/** The upload zip: the Chrome build without "key", sorted entries, fixed times. */
export function storeZip(buildDir, out, epoch) {
  const tmp = mkdtempSync(join(tmpdir(), "jg-store-"));
  try {
    cpSync(buildDir, tmp, { recursive: true });
    const m = JSON.parse(readFileSync(join(tmp, "manifest.json"), "utf8"));
    delete m.key;
    writeFileSync(join(tmp, "manifest.json"), `${JSON.stringify(m, null, 2)}\n`);
    const files = walk(tmp)
      .map((f) => relative(tmp, f))
      .sort();
    for (const f of walk(tmp)) utimesSync(f, epoch, epoch);
    rmSync(out, { force: true });
    execFileSync("zip", ["-X", "-q", "-9", out, ...files], { cwd: tmp });
    return m;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function kit(epoch) {
  const chrome = join(ROOT, "extension/.output/chrome-mv3");
  const manifest = JSON.parse(readFileSync(join(chrome, "manifest.json"), "utf8"));
  checkKit(manifest);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const zip = join(OUT, `jpki-guard-${VERSION}-chrome-web-store-edge.zip`);
  storeZip(chrome, zip, epoch);
  for (const f of ["listing.ja.md", "listing.en.md", "privacy-policy.md", "permissions.json"])
    cpSync(join(STORE, f), join(OUT, f));
  // Screenshots at the stores' size (1280x800), taken by the end-to-end run (test-results/store/).
  const shots = join(ROOT, "test-results/store");
  const pngs = existsSync(shots) ? readdirSync(shots).filter((f) => f.endsWith(".png")) : [];
  if (pngs.length === 0)
    console.log("         (no store screenshots yet: scripts/test.sh takes them in test-results/store/)");
  for (const f of pngs) {
    const png = readFileSync(join(shots, f));
    // IHDR: width and height, big-endian, at bytes 16-23.
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    if (w !== 1280 || h !== 800) throw new Error(`test-results/store/${f} is ${w}x${h}, the stores take 1280x800`);
    mkdirSync(join(OUT, "screenshots"), { recursive: true });
    cpSync(join(shots, f), join(OUT, "screenshots", f));
  }
  return zip;
}

function signFirefox() {
  const { AMO_JWT_ISSUER, AMO_JWT_SECRET } = process.env;
  if (!AMO_JWT_ISSUER || !AMO_JWT_SECRET)
    throw new Error("set AMO_JWT_ISSUER and AMO_JWT_SECRET (addons.mozilla.org > Developer Hub > API credentials)");
  execFileSync(
    "npx",
    [
      "--yes",
      WEB_EXT,
      "sign",
      "--channel",
      "listed",
      "--source-dir",
      join(ROOT, "extension/.output/firefox-mv3"),
      "--artifacts-dir",
      OUT,
      "--api-key",
      AMO_JWT_ISSUER,
      "--api-secret",
      AMO_JWT_SECRET,
    ],
    { stdio: "inherit" },
  );
}

function need(env, names) {
  const missing = names.filter((n) => !env[n]);
  if (missing.length) throw new Error(`set ${missing.join(", ")} (the store account's API credentials)`);
  return Object.fromEntries(names.map((n) => [n, env[n]]));
}

async function ok(r, what) {
  if (!r.ok) throw new Error(`${what}: HTTP ${r.status}`);
  return r;
}

/** Chrome Web Store API v1.1: an access token from the refresh token, upload the zip, publish. */
export async function uploadChrome(zipBytes, env = process.env, fetchImpl = fetch) {
  const c = need(env, ["CWS_CLIENT_ID", "CWS_CLIENT_SECRET", "CWS_REFRESH_TOKEN", "CWS_ITEM_ID"]);
  const token = await ok(
    await fetchImpl("https://oauth2.googleapis.com/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: c.CWS_CLIENT_ID,
        client_secret: c.CWS_CLIENT_SECRET,
        refresh_token: c.CWS_REFRESH_TOKEN,
        grant_type: "refresh_token",
      }).toString(),
    }),
    "token",
  );
  const { access_token: access } = await token.json();
  const auth = { authorization: `Bearer ${access}`, "x-goog-api-version": "2" };
  const item = encodeURIComponent(c.CWS_ITEM_ID);
  await ok(
    await fetchImpl(`https://www.googleapis.com/upload/chromewebstore/v1.1/items/${item}`, {
      method: "PUT",
      headers: auth,
      body: zipBytes,
    }),
    "upload",
  );
  await ok(
    await fetchImpl(`https://www.googleapis.com/chromewebstore/v1.1/items/${item}/publish`, {
      method: "POST",
      headers: auth,
    }),
    "publish",
  );
}

/** Edge Add-ons API v1.1: upload the package as the draft, then submit it. */
export async function uploadEdge(zipBytes, env = process.env, fetchImpl = fetch) {
  const c = need(env, ["EDGE_CLIENT_ID", "EDGE_API_KEY", "EDGE_PRODUCT_ID"]);
  const auth = { authorization: `ApiKey ${c.EDGE_API_KEY}`, "x-clientid": c.EDGE_CLIENT_ID };
  const base = `https://api.addons.microsoftedge.microsoft.com/v1/products/${encodeURIComponent(c.EDGE_PRODUCT_ID)}`;
  await ok(
    await fetchImpl(`${base}/submissions/draft/package`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/zip" },
      body: zipBytes,
    }),
    "upload",
  );
  await ok(
    await fetchImpl(`${base}/submissions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ notes: `jpki-guard ${VERSION}` }),
    }),
    "submit",
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [cmd] = process.argv.slice(2);
  const epoch = Number(
    process.env.SOURCE_DATE_EPOCH ??
      execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: ROOT, encoding: "utf8" }).trim(),
  );
  if (cmd === "kit") console.log(kit(epoch));
  else if (cmd === "sign-firefox") signFirefox();
  else if (cmd === "upload-chrome" || cmd === "upload-edge") {
    const zip = readFileSync(join(OUT, `jpki-guard-${VERSION}-chrome-web-store-edge.zip`));
    await (cmd === "upload-chrome" ? uploadChrome(zip) : uploadEdge(zip));
  } else {
    console.error("usage: node scripts/store.mjs kit | sign-firefox | upload-chrome | upload-edge");
    process.exit(64);
  }
}
