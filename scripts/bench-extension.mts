/**
 * Extension benchmark (prints figures; asserts nothing): the portal content
 * script's size, and, in real Chromium with the host warm, the time from a
 * portal page's load event to the banner, and the page's load time with and
 * without the extension, in one run.
 *
 *   pnpm bench:extension   (root: private pcscd; run pnpm build first)
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { BrowserContext } from "playwright-core";
import { CHROME_EXTENSION_ID } from "../shared/src/ids.js";
import {
  badgeOf,
  benchPortalServer,
  E2E_EXTENSION,
  launch,
  setPlatform,
  until,
  WINDOWS_CHROME,
  worker,
} from "../test/integration/browser.js";
import { buildCard, namedProfile, PcscdRig } from "../test/virtual-card/src/index.js";
import { median } from "./lib/median.mjs";
import { enableQuickack } from "./lib/quickack.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const EXT = join(ROOT, "extension/.output/chrome-mv3");
const CLI = join(ROOT, "bridge/dist/jpki-guard.mjs");
const EXT_ID = CHROME_EXTENSION_ID;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const quickack = enableQuickack();

const cs = readFileSync(join(EXT, "portal.js"));
console.log(
  `portal content script: ${cs.length} bytes minified, ${gzipSync(cs).length} gzipped (budget 15 KB minified)`,
);

const home = mkdtempSync(join(tmpdir(), "jg-bench-ext-"));
const { server, port } = await benchPortalServer(home);
const rig = await PcscdRig.start({ card: buildCard(await namedProfile("renewal-window")) });
const contexts: BrowserContext[] = [];

try {
  const profile = join(home, "profile");
  execFileSync(process.execPath, [CLI, "install", "--browser", "chromium", "--chromium-user-data-dir", profile], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
  });
  // The e2e build (the release code plus the test platform): judged as Windows with the official app,
  // so the banner is the card's (on this Linux machine the release build shows the environment's).
  const withExt = await launch(profile, port, join(ROOT, E2E_EXTENSION.chrome));
  const without = await launch(join(home, "plain"), port, null);
  contexts.push(withExt, without);
  const sw = await worker(withExt, EXT_ID);
  await setPlatform(sw, WINDOWS_CHROME);
  // The host runs while a portal tab is open: one stays open, so the pages below meet a warm host.
  const keeper = await withExt.newPage();
  await keeper.goto("https://myna.go.jp/?keeper");
  await until(
    () => badgeOf(sw),
    (b) => b === "!",
    "warm host (badge !)",
    30_000,
  );

  const loadToBanner: number[] = [];
  const loadWith: number[] = [];
  const loadWithout: number[] = [];
  for (let i = 0; i < ROUNDS + 1; i++) {
    for (const [ctx, out] of [
      [withExt, loadWith],
      [without, loadWithout],
    ] as const) {
      const page = await ctx.newPage();
      await page.goto(`https://myna.go.jp/?r=${i}`);
      if (ctx === withExt)
        await page.waitForFunction(() => (window as unknown as { __t: { banner?: number } }).__t.banner, null, {
          timeout: 15_000,
        });
      const t = (await page.evaluate(() => (window as unknown as { __t: { load: number; banner?: number } }).__t)) as {
        load: number;
        banner?: number;
      };
      if (i > 0) {
        out.push(t.load);
        if (t.banner !== undefined) loadToBanner.push(t.banner - t.load);
      }
      await page.close();
    }
  }
  console.log(`Chromium, ${ROUNDS} page loads each, median; loopback quickack ${quickack ? "ON" : "off"}`);
  console.log(`  load event, with the extension:    ${median(loadWith).toFixed(1)} ms`);
  console.log(`  load event, without the extension: ${median(loadWithout).toFixed(1)} ms`);
  console.log(`  load event -> banner (warm host):  ${median(loadToBanner).toFixed(1)} ms`);
} finally {
  for (const c of contexts) await c.close();
  await rig.stop();
  server.close();
  rmSync(home, { recursive: true, force: true });
}
