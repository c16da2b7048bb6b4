/** Chromium helpers shared by the extension end-to-end tests and the extension benchmark. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page, type Worker } from "playwright-core";

export function selfSignedTls(dir: string): { key: Buffer; cert: Buffer } {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=myna.go.jp",
      "-addext",
      "subjectAltName=DNS:myna.go.jp,DNS:www.e-tax.nta.go.jp,DNS:www.keisan.nta.go.jp",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
}

/** `env`: Chromium's environment, which the native hosts it starts inherit (e.g. JPKI_GUARD_DEV_PROTOCOL). */
export async function launch(
  profile: string,
  port: number,
  ext: string | null,
  env?: Record<string, string>,
): Promise<BrowserContext> {
  const rules = ["myna.go.jp", "www.e-tax.nta.go.jp", "www.keisan.nta.go.jp"]
    .map((h) => `MAP ${h} 127.0.0.1:${port}`)
    .join(",");
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: false,
    ignoreDefaultArgs: ["--disable-extensions"],
    viewport: { width: 1100, height: 700 },
    ...(env ? { env: { ...(process.env as Record<string, string>), ...env } } : {}),
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--ignore-certificate-errors",
      `--host-resolver-rules=${rules}`,
      ...(ext ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : []),
    ],
  });
}

/**
 * The extension the end-to-end tests load: the e2e build (`wxt build --mode
 * e2e`, scripts/build.sh), the release build's code plus one test hook: the
 * platform below (the release build has no code that reads it:
 * extension-manifest.test.ts).
 */
export const E2E_EXTENSION = {
  chrome: "extension/.output/chrome-mv3-e2e",
  firefox: "extension/.output/firefox-mv3-e2e",
};

/** What the e2e build judges the portals' environment rules against (extension/lib/environment-probe.ts). */
export interface TestPlatform {
  os: "win" | "mac" | "linux" | "cros" | "android" | "openbsd" | "fuchsia" | "other";
  brand: "chrome" | "edge" | "firefox" | "chromium" | "brave" | "vivaldi" | "opera" | "other";
  version: number | null;
  windows: 10 | 11 | null;
}
/** The storage.local key the e2e build reads it from (TEST_ENVIRONMENT_KEY; its unit test pins the name). */
export const TEST_PLATFORM_KEY = "jpkiGuardTestEnvironment";
/** Windows 11 and Chrome: where the official Mynaportal app exists, so a valid card shows no banner. */
export const WINDOWS_CHROME: TestPlatform = { os: "win", brand: "chrome", version: 142, windows: 11 };
/** Windows and Firefox: where the official Mynaportal app exists too (Firefox has no Windows 10/11 hint). */
export const WINDOWS_FIREFOX: TestPlatform = { os: "win", brand: "firefox", version: 140, windows: null };
/**
 * What the official Mynaportal extension and its Windows app add to a Mynaportal page (their hidden
 * inputs; docs/guidance-sources.md). The fixture pages of tests that mean a Windows computer with the
 * official app carry them, so that only the card decides the banner there.
 */
export const OFFICIAL_APP_INPUTS =
  '<input type="hidden" id="extension-is-installed" value="29"><input type="hidden" id="app-is-installed" value="29">';
/** Debian's Chromium on Linux: the machine the tests run on, as it is. */
export const LINUX_CHROMIUM: TestPlatform = { os: "linux", brand: "chromium", version: 142, windows: null };
/** Debian's firefox-esr on Linux, as it is. */
export const LINUX_FIREFOX: TestPlatform = { os: "linux", brand: "firefox", version: 140, windows: null };

/**
 * Set the platform the extension judges (read at each banner and popup
 * state: set it before opening the pages it is meant for). This Linux
 * machine plays whichever platform a test means.
 */
export async function setPlatform(sw: Worker, platform: TestPlatform): Promise<void> {
  await sw.evaluate(
    async ([key, value]) => {
      await (
        globalThis as unknown as { chrome: { storage: { local: { set(o: object): Promise<void> } } } }
      ).chrome.storage.local.set({ [key as string]: value });
    },
    [TEST_PLATFORM_KEY, platform] as const,
  );
}

export async function worker(ctx: BrowserContext, extId: string): Promise<Worker> {
  return (
    ctx.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extId}/`)) ??
    ctx.waitForEvent("serviceworker")
  );
}

export async function badgeOf(sw: Worker): Promise<string> {
  return sw.evaluate(() =>
    (
      globalThis as unknown as { chrome: { action: { getBadgeText(o: object): Promise<string> } } }
    ).chrome.action.getBadgeText({}),
  );
}

export async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await f();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await f();
  }
  return last;
}

/** The banner's text, read through the DevTools protocol (the page itself cannot see into the closed shadow root). */
export async function bannerText(page: Page): Promise<string | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: DomNode };
    const host = find(root, (n) => n.nodeName === "JPKI-GUARD-BANNER");
    if (!host) return null;
    const parts: string[] = [];
    const walk = (n: DomNode) => {
      if (n.nodeType === 3 && n.parentNodeName !== "STYLE") parts.push(n.nodeValue ?? "");
      for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) walk({ ...c, parentNodeName: n.nodeName });
    };
    walk(host);
    return parts.join("\n");
  } finally {
    await cdp.detach();
  }
}
/**
 * The banner's box on the page (the section inside the closed shadow root,
 * found through CDP as a user's eyes would), and where its "details" button is.
 */
export async function bannerBox(page: Page): Promise<{
  height: number;
  width: number;
  /** The section's computed line height in px (its CSS, not the installed fonts). */
  lineHeight: number;
  more: { x: number; y: number } | null;
} | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: DomNode };
    const host = find(root, (n) => n.nodeName === "JPKI-GUARD-BANNER");
    const section = host && find(host, (n) => n.nodeName === "SECTION");
    if (!section) return null;
    const quad = async (n: DomNode) =>
      ((await cdp.send("DOM.getBoxModel", { backendNodeId: n.backendNodeId })) as { model: { border: number[] } }).model
        .border;
    const b = await quad(section);
    const button = find(section, (n) => n.nodeName === "BUTTON" && (n.attributes ?? []).includes("m"));
    let more: { x: number; y: number } | null = null;
    if (button) {
      const m = await quad(button);
      more = { x: (m[0]! + m[2]!) / 2, y: (m[1]! + m[5]!) / 2 };
    }
    await cdp.send("CSS.enable");
    const { nodeIds } = (await cdp.send("DOM.pushNodesByBackendIdsToFrontend", {
      backendNodeIds: [section.backendNodeId!],
    })) as { nodeIds: number[] };
    const { computedStyle } = (await cdp.send("CSS.getComputedStyleForNode", { nodeId: nodeIds[0]! })) as {
      computedStyle: Array<{ name: string; value: string }>;
    };
    const lineHeight = Number.parseFloat(computedStyle.find((c) => c.name === "line-height")?.value ?? "NaN");
    return { width: b[2]! - b[0]!, height: b[5]! - b[1]!, lineHeight, more };
  } finally {
    await cdp.detach();
  }
}

/** Open the banner's details, as a user would (a click on its "details" button). */
export async function expandBanner(page: Page): Promise<void> {
  const box = await bannerBox(page);
  if (!box?.more) throw new Error("no banner details button");
  await page.mouse.click(box.more.x, box.more.y);
}

type DomNode = {
  nodeName: string;
  backendNodeId?: number;
  attributes?: string[];
  nodeType: number;
  nodeValue?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  parentNodeName?: string;
};
function find(n: DomNode, pred: (n: DomNode) => boolean): DomNode | null {
  if (pred(n)) return n;
  for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) {
    const f = find(c, pred);
    if (f) return f;
  }
  return null;
}

/**
 * The jpki-guard host processes (node running jpki-guard-host.mjs) started
 * by a browser launched with JG_TEST_MARK=`mark` in its environment (hosts
 * inherit it): other runs' hosts on the same machine are not counted.
 */
export function hostProcesses(mark: string): number[] {
  const found: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/cmdline`, "utf8").includes("jpki-guard-host.mjs")) continue;
      if (readFileSync(`/proc/${d}/environ`, "utf8").split("\0").includes(`JG_TEST_MARK=${mark}`))
        found.push(Number(d));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The badge's background colour (RGBA) and tooltip. */
export async function badgeLookOf(sw: Worker): Promise<{ color: number[]; title: string }> {
  return sw.evaluate(async () => {
    const a = (
      globalThis as unknown as {
        chrome: {
          action: { getBadgeBackgroundColor(o: object): Promise<number[]>; getTitle(o: object): Promise<string> };
        };
      }
    ).chrome.action;
    return { color: await a.getBadgeBackgroundColor({}), title: await a.getTitle({}) };
  });
}

/** The extension's service worker now (a new one after Chromium stopped the old). */
export async function liveWorker(ctx: BrowserContext, extId: string): Promise<Worker> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const w of ctx
      .serviceWorkers()
      .filter((x) => x.url().startsWith(`chrome-extension://${extId}/`))
      .reverse()) {
      const ok = await Promise.race([
        w.evaluate(() => true).catch(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
      ]);
      if (ok) return w;
    }
    if (Date.now() > deadline) throw new Error("no live extension service worker");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The benchmarks' Mynaportal page (bench-extension, bench-host): it records its
 * load event and the moment the banner's host element is added, and carries the
 * official app's hidden inputs (a Windows computer with the official app), so
 * that only the card decides its banner. Served over TLS on a loopback port.
 */
export async function benchPortalServer(dir: string): Promise<{ server: import("node:https").Server; port: number }> {
  const { createServer } = await import("node:https");
  const page = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>bench</title></head><body><h1>マイナポータル</h1>${OFFICIAL_APP_INPUTS}
<script>
window.__t = {};
new MutationObserver(() => { if (!window.__t.banner && document.querySelector("jpki-guard-banner")) window.__t.banner = performance.now(); })
  .observe(document.documentElement, { childList: true });
addEventListener("load", () => { window.__t.load = performance.now(); });
</script></body></html>`;
  const server = createServer(selfSignedTls(dir), (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * Where the end-to-end tests find what they load: the repository, the built
 * CLI (which installs the host), the e2e build of the extension and the
 * screenshot folder; a missing build is said at once.
 */
export function e2ePaths(): { ROOT: string; CLI: string; EXT: string; SHOTS: string } {
  const ROOT = fileURLToPath(new URL("../../", import.meta.url));
  const CLI = join(ROOT, "bridge/dist/jpki-guard.mjs");
  const EXT = join(ROOT, E2E_EXTENSION.chrome);
  for (const p of [CLI, join(EXT, "manifest.json")])
    if (!existsSync(p)) throw new Error(`${p} is missing: run pnpm build first`);
  return { ROOT, CLI, EXT, SHOTS: join(ROOT, "test-results") };
}
