/**
 * The built extension in real Chromium (Debian's, driven by playwright-core)
 * + the real host over native messaging (installed into the test profile)
 * + pcscd + the virtual card. Portal host names resolve to a local TLS
 * server through Chromium's host-resolver rules, so the content scripts
 * match the production URLs.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeReadout, isReportProblem, parseReportFile, readoutFromReport } from "@jpki-guard/shared";
import { CHROME_EXTENSION_ID, DOWNLOAD_URL } from "@jpki-guard/shared/ids";
import type { CardModel, PcscdRig, ProfileName } from "@jpki-guard/virtual-card";
import jsQR from "jsqr";
import type { BrowserContext, Page, Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  badgeOf,
  bannerBox,
  bannerText,
  e2ePaths,
  expandBanner,
  LINUX_CHROMIUM,
  launch,
  OFFICIAL_APP_INPUTS,
  selfSignedTls,
  setPlatform,
  TEST_PLATFORM_KEY,
  until,
  WINDOWS_CHROME,
  worker,
} from "./browser.js";
import { card } from "./helpers.js";

const { CLI, EXT, SHOTS } = e2ePaths();
const EXT_ID = CHROME_EXTENSION_ID;

const PAGES: Record<string, string> = {
  "/": `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>マイナポータル (test)</title></head>
<body><h1>マイナポータル</h1><p>テスト用のページです。</p><button>ログイン</button>${OFFICIAL_APP_INPUTS}</body></html>`,
  "/hostile": `<!doctype html><html><head><meta charset="utf-8"><title>hostile</title></head><body><h1>e-Tax (hostile test page)</h1>
<script>
window.__hostile = { tries: [], messages: [] };
window.addEventListener("message", (e) => window.__hostile.messages.push(JSON.stringify(e.data)));
const t = (name, f) => { try { window.__hostile.tries.push([name, String(f())]); } catch (e) { window.__hostile.tries.push([name, "threw " + e.name]); } };
const origAttach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (o) { window.__hostile.patched = true; return origAttach.call(this, { ...o, mode: "open" }); };
t("chrome.runtime", () => typeof (window.chrome && window.chrome.runtime && window.chrome.runtime.sendMessage));
t("sendMessage", () => chrome.runtime.sendMessage("${"EXT_ID"}", { type: "read-signature", pin: "ABC123" }));
t("connect", () => chrome.runtime.connect("${"EXT_ID"}"));
window.postMessage({ type: "read-signature", pin: "ABC123" }, "*");
window.postMessage({ type: "portal-status" }, "*");
document.dispatchEvent(new CustomEvent("jpki-guard", { detail: { type: "read-signature", pin: "ABC123" } }));
fetch("chrome-extension://${"EXT_ID"}/popup.html").then(() => window.__hostile.tries.push(["fetch", "ok"]), (e) => window.__hostile.tries.push(["fetch", "failed"]));
window.__hostile.read = () => {
  const host = document.querySelector("jpki-guard-banner");
  return { hostFound: !!host, shadowRoot: host ? String(host.shadowRoot) : "no host", text: document.documentElement.innerText, patched: !!window.__hostile.patched };
};
</script></body></html>`,
};

let rig: PcscdRig;
let model: CardModel;
let home: string;
let server: Server;
let port: number;
let context: BrowserContext;
let sw: Worker;
let keeper: Page;
const badge = () => badgeOf(sw);

beforeAll(async () => {
  const { PcscdRig } = await import("@jpki-guard/virtual-card");
  model = await card("valid");
  rig = await PcscdRig.start({ card: model });
  home = mkdtempSync(join(tmpdir(), "jg-e2e-"));
  mkdirSync(SHOTS, { recursive: true });
  server = createServer(selfSignedTls(home), (req, res) => {
    const page = PAGES[(req.url ?? "/").split("?")[0]!];
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end((page ?? "not found").replaceAll("EXT_ID", EXT_ID));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  const profile = join(home, "profile");
  execFileSync(process.execPath, [CLI, "install", "--browser", "chromium", "--chromium-user-data-dir", profile], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
  });
  context = await launch(profile, port, EXT);
  sw = await worker(context, EXT_ID);
  // These tests mean Windows and Chrome (where the official app exists): a valid card shows no banner.
  await setPlatform(sw, WINDOWS_CHROME);
  // The host runs only while something needs it (a portal tab, the popup): one Mynaportal tab stays
  // open through these tests, so the badge follows the card live (insert, remove, swap).
  keeper = await context.newPage();
  await keeper.goto("https://myna.go.jp/");
}, 120_000);

afterAll(async () => {
  await context?.close();
  await rig?.stop();
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("extension end to end", () => {
  it("a valid card: badge OK and no banner on Mynaportal", async () => {
    await until(badge, (b) => b === "OK", "badge OK");
    const page = await context.newPage();
    await page.goto("https://myna.go.jp/");
    await page.waitForTimeout(1500);
    expect(await bannerText(page)).toBeNull();
    await page.close();
  });

  it("on Linux the same valid card gets a Mynaportal banner: no official way to log in with the card, the QR login instead; the popup says it too", async () => {
    await until(badge, (b) => b === "OK", "badge OK");
    await setPlatform(sw, LINUX_CHROMIUM);
    try {
      const page = await context.newPage();
      await page.goto("https://myna.go.jp/");
      const shown = await until(
        () => bannerText(page),
        (t) => t !== null,
        "the Linux banner on Mynaportal",
      );
      // Collapsed: the one sentence (the environment blocks first) and its first step.
      expect(shown).toContain(
        "Linux では、マイナンバーカードとカードリーダでマイナポータルにログインする公式の方法はありません。",
      );
      expect(shown).toContain("2次元バーコード");
      // Never sent to install an app that does not exist for Linux.
      expect(shown).not.toMatch(/アプリをインストール/);
      await page.screenshot({ path: join(SHOTS, "banner-linux-mynaportal.png") });
      // The popup shows the same finding (the portal tab opened last is Mynaportal).
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 420, height: 760 });
      await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
      const findings = await until(
        () =>
          popup
            .locator("#checklist")
            .innerText()
            .catch(() => ""),
        (t) => t.includes("Linux"),
        "the page findings in the popup",
      );
      expect(findings).toContain("2次元バーコード");
      await popup.close();
      await page.close();
    } finally {
      await setPlatform(sw, WINDOWS_CHROME);
    }
    // Windows again: the same card, no banner.
    const win = await context.newPage();
    await win.goto("https://myna.go.jp/");
    await win.waitForTimeout(1500);
    expect(await bannerText(win)).toBeNull();
    await win.close();
  });

  it("the banner appears once and later states replace its content in place: one element added, never removed or re-added", async () => {
    await until(badge, (b) => b === "OK", "badge OK");
    await setPlatform(sw, LINUX_CHROMIUM);
    try {
      const page = await context.newPage();
      // Counts, in the page's own world from before its first script, every banner element added or removed.
      await page.addInitScript(() => {
        const w = window as unknown as { __banner: { added: number; removed: number } };
        w.__banner = { added: 0, removed: 0 };
        new MutationObserver((list) => {
          for (const m of list) {
            for (const n of Array.from(m.addedNodes)) if (n.nodeName === "JPKI-GUARD-BANNER") w.__banner.added++;
            for (const n of Array.from(m.removedNodes)) if (n.nodeName === "JPKI-GUARD-BANNER") w.__banner.removed++;
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto("https://myna.go.jp/");
      await until(
        () => bannerText(page),
        (t) => t?.includes("Linux") === true,
        "the Linux banner",
      );
      // The page's official-app reading comes about 3 s after load and answers a banner again; the
      // details opened by the user redraw it too. Neither adds or removes the element.
      await page.waitForTimeout(4500);
      await expandBanner(page);
      await until(
        () => bannerText(page),
        (t) => t?.includes("確かめることが") === true,
        "the banner's details",
      );
      const counts = await page.evaluate(() => (window as unknown as { __banner: object }).__banner);
      expect(counts).toEqual({ added: 1, removed: 0 });
      await page.close();
    } finally {
      await setPlatform(sw, WINDOWS_CHROME);
    }
  });

  it("first use: no city until the citizen chooses; the popup asks once, by keyboard, and the choice names the counter", async () => {
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 420, height: 760 });
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("お住まいの市区町村を選んでください") && t.includes("利用者証明用電子証明書"),
      "first-use question",
    );
    // Before any choice: national guidance, no city's counter.
    const before = await popup.locator("main").innerText();
    expect(before).not.toContain("0463");
    expect(before).not.toContain("マイナンバー推進課");
    expect(before).toContain("お住まいの市区町村のマイナンバーカード窓口");
    // The search field is a combobox: kana finds the city, arrow keys and Enter choose it.
    const input = popup.getByRole("combobox", { name: "市区町村を探す(漢字・ひらがな・コード)" });
    await input.fill("ひらつかし");
    await until(
      () => popup.locator("#popup-muni-count").innerText(),
      (t) => t.includes("1 件"),
      "one match announced",
    );
    expect(await input.getAttribute("aria-expanded")).toBe("true");
    await input.press("ArrowDown");
    expect(await input.getAttribute("aria-activedescendant")).toBe("popup-muni-opt-0");
    await input.press("Enter");
    const after = await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("0463-71-6521") && !t.includes("お住まいの市区町村を選んでください"),
      "counter named after the choice",
    );
    expect(after).toContain("平塚市");
    const stored = await sw.evaluate(() =>
      (
        globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<unknown> } } } }
      ).chrome.storage.local.get("settings"),
    );
    expect(stored).toMatchObject({ settings: { municipality: "142034", municipalityChosen: true } });
    // Asked once: the next popup does not ask again.
    await popup.reload();
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("利用者証明用電子証明書"),
      "popup again",
    );
    expect(await popup.locator("#muni-ask").count()).toBe(0);
    await popup.close();
  });

  it("a card in the renewal window: a short banner (one sentence, one step, about 3 lines); Hiratsuka's reservation details on demand", async () => {
    await rig.swap(await card("renewal-window"));
    await until(badge, (b) => b === "!", "badge !");
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("https://myna.go.jp/");
    const text = await until(
      () => bannerText(page),
      (t) => t !== null,
      "banner",
    );
    // Collapsed: the finding's first sentence and the first step's first sentence, nothing else.
    expect(text).toMatch(/利用者証明用電子証明書の有効期限は \d{4}-\d{2}-\d{2}.あと 4\d 日.です。/);
    expect(text).toContain("更新の手続きは予約してから窓口へ。");
    expect(text).not.toContain("0463-71-6521");
    const collapsed = (await bannerBox(page))!;
    // Two or three lines of text plus the details link and padding, counted in the banner's own line
    // height (set by its CSS), so the check does not depend on which fonts the machine has.
    expect(collapsed.lineHeight).toBeGreaterThan(0);
    expect(collapsed.height / collapsed.lineHeight).toBeLessThan(7);
    await page.screenshot({ path: join(SHOTS, "banner-renewal.png") });
    await expandBanner(page);
    const full = await until(
      () => bannerText(page),
      (t) => t?.includes("0463-71-6521") ?? false,
      "expanded banner",
    );
    expect(full).toContain("ログインID");
    expect((await bannerBox(page))!.height).toBeGreaterThan(collapsed.height * 2);
    await page.screenshot({ path: join(SHOTS, "banner-renewal-details.png") });
    // The stores' screenshot size (Chrome Web Store and Edge Add-ons: 1280x800), for the store kit.
    mkdirSync(join(SHOTS, "store"), { recursive: true });
    await page.screenshot({ path: join(SHOTS, "store", "store-1-banner.png") });
    await page.close();
  });

  it("a locked authentication PIN blocks login, with the unlock steps", async () => {
    await rig.swap(await card("auth-pin-locked"));
    await until(badge, (b) => b === "×", "badge ×");
    const page = await context.newPage();
    await page.goto("https://myna.go.jp/");
    const text = await until(
      () => bannerText(page),
      (t) => t?.includes("ロック") ?? false,
      "locked banner",
    );
    // The one step shown first: the store reset (the signature PIN still works), the counter in the details.
    expect(text).toContain("セブン‐イレブン");
    await expandBanner(page);
    expect(
      await until(
        () => bannerText(page),
        (t) => t?.includes("ロック解除") ?? false,
        "details",
      ),
    ).toContain("窓口");
    await page.screenshot({ path: join(SHOTS, "banner-locked.png") });

    // Pulling the card out updates the open page and the badge.
    await rig.remove();
    await until(badge, (b) => b === "–", "badge –");
    await until(
      () => bannerText(page),
      (t) => t === null,
      "banner gone",
    );
    await page.close();
  });

  it("the popup shows both certificates, PIN tries, readiness and the counter", async () => {
    model = await card("renewal-window");
    await rig.insert(model);
    await until(badge, (b) => b === "!", "badge !");
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 420, height: 760 });
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    const body = await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("利用者証明用電子証明書"),
      "popup",
    );
    expect(body).toMatch(/有効期限 \d{4}-\d{2}-\d{2}.あと4[0-9]日./);
    expect(body).toContain("残り 3 回 / 3 回");
    expect(body).toContain("残り 5 回 / 5 回");
    expect(body).toContain("0463-71-6521");
    await popup.screenshot({ path: join(SHOTS, "popup-renewal.png"), fullPage: true });
    {
      // The popup at the stores' screenshot size (1280x800), for the store kit.
      const wide = await context.newPage();
      await wide.setViewportSize({ width: 1280, height: 800 });
      await wide.goto(`chrome-extension://${EXT_ID}/popup.html`);
      await until(
        () => wide.locator("main").innerText(),
        (t) => t.includes("0463-71-6521"),
        "popup at 1280x800",
      );
      await wide.screenshot({ path: join(SHOTS, "store", "store-2-popup.png") });
      await wide.close();
    }
    // The PIN format is checked as the user types; nothing is sent for a lower-case PIN.
    await popup.locator("summary", { hasText: "署名用電子証明書を暗証番号で確認" }).click();
    await popup.locator("#pin").fill("abc123");
    expect(await popup.locator("#pin-msg").innerText()).toContain("大文字");
    expect(await popup.locator("#pin-submit").isDisabled()).toBe(true);
    expect(model.trace.filter((t) => t.command[1] === 0x20 && t.command.length > 4)).toHaveLength(0);
    // The help-desk report: readable checklist, redacted (no certificate CN, no personal data).
    await popup.locator("summary", { hasText: "ヘルプデスク用レポート" }).click();
    const report = await until(
      () =>
        popup
          .locator("textarea")
          .inputValue()
          .catch(() => ""),
      (v) => v.includes("jpki-guard doctor"),
      "report",
    );
    expect(report).toMatch(
      /\[ok\]\s+利用者証明用暗証番号\(数字4桁\) \/ authentication PIN \(auth-pin\): 残り 3 \/ 3 回 \/ 3 of 3 tries left/,
    );
    expect(report).not.toMatch(/TESTA[0-9A-F]{12}/);
    expect(report).not.toContain("試験");
    // The error-code lookup, against this card (in the renewal window, not expired).
    await popup.locator("summary", { hasText: "エラーコードを調べる" }).click();
    await popup.locator("#code").fill("ei123-2008");
    await popup.locator("#code").press("Enter");
    const found = await until(
      () => popup.locator("#lookup-result").innerText(),
      (v) => v.includes("EI123-2008"),
      "lookup",
    );
    expect(found).toContain("電子証明書の検証に失敗しました");
    expect(found).toContain("このカードには、このエラーの原因になることが見つかりません。");
    await popup.locator("#code").fill("QQ-1");
    await popup.locator("#code").press("Enter");
    expect(
      await until(
        () => popup.locator("#lookup-result").innerText(),
        (v) => v.includes("QQ-1"),
        "unknown code",
      ),
    ).toContain("資料にはありません");
    await popup.close();
  });

  it("the popup's report, every way out: the saved file, the read-out code and its QR code all go through doctor --read", async () => {
    // The card of the previous test (renewal window), Hiratsuka chosen in the first-use test.
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 420, height: 900 });
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("利用者証明用電子証明書"),
      "popup",
    );
    await popup.locator("summary", { hasText: "ヘルプデスク用レポート" }).click();
    await popup.locator("#report-save").waitFor({ timeout: 20_000 });
    // Save: a download of the report file (no downloads permission), named by the day only.
    const [download] = await Promise.all([popup.waitForEvent("download"), popup.locator("#report-save").click()]);
    expect(download.suggestedFilename()).toMatch(/^jpki-guard-report-\d{4}-\d{2}-\d{2}\.json$/);
    const file = join(home, "saved-report.json");
    await download.saveAs(file);
    expect(await popup.locator("#report-saved").innerText()).toContain(download.suggestedFilename());
    const bytes = readFileSync(file);
    const saved = parseReportFile(new Uint8Array(bytes));
    if (isReportProblem(saved)) throw new Error(`saved report refused: ${JSON.stringify(saved)}`);
    expect(saved.municipality).toBe("142034");
    expect(saved.verdict.level).toBe("attention");
    expect(bytes.toString("utf8")).not.toMatch(/TESTA[0-9A-F]{12}|試験/);
    const EXIT = { ready: 0, attention: 1, blocked: 2, unknown: 3 } as const;
    const read = (what: string, json = false) =>
      spawnSync(process.execPath, [CLI, "doctor", "--read", what, ...(json ? ["--json"] : [])], {
        encoding: "utf8",
        env: { ...process.env, HOME: home },
      });
    const byFile = read(file);
    expect(byFile.stderr).toBe("");
    expect(byFile.status).toBe(EXIT[saved.verdict.level]);
    expect(byFile.stdout).toContain("市区町村 / municipality: 平塚市 (142034)");
    // The code shown is the saved report's, and doctor --read takes it back with the same verdict.
    const shown = popup.locator("#readout-code");
    const code = (await shown.getAttribute("data-code")) ?? "";
    expect(code).toBe(encodeReadout(readoutFromReport(saved)));
    expect((await shown.innerText()).replace(/\s/g, "")).toBe(code);
    const byCode = read(code, true);
    expect(byCode.stderr).toBe("");
    expect(byCode.status).toBe(EXIT[saved.verdict.level]);
    expect(JSON.parse(byCode.stdout).verdicts.today.readiness).toEqual(saved.verdict.readiness);
    // The QR code (its library loads lazily) decodes, with a second library, to the same code.
    await until(
      () => popup.locator("#readout-qr").evaluate((c) => (c as HTMLCanvasElement).width),
      (w) => w > 0,
      "QR drawn",
    );
    const px = await popup.locator("#readout-qr").evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      return { width: d.width, height: d.height, data: Array.from(d.data) };
    });
    expect(jsQR(Uint8ClampedArray.from(px.data), px.width, px.height)?.data).toBe(code);
    expect(await popup.locator("#readout-qr").getAttribute("aria-label")).toContain(code);
    await popup.screenshot({ path: join(SHOTS, "popup-report-out.png"), fullPage: true });
    await popup.close();
  });

  it("a hostile page gets nothing and spends no PIN try", async () => {
    const before = model.trace.length;
    const page = await context.newPage();
    await page.goto("https://www.e-tax.nta.go.jp/hostile");
    const banner = await until(
      () => bannerText(page),
      (t) => t !== null,
      "banner on the hostile page",
    );
    expect(banner).toContain("更新");
    const seen = (await page.evaluate(() =>
      (window as unknown as { __hostile: { read(): Record<string, unknown>; tries: string[][] } }).__hostile.read(),
    )) as {
      hostFound: boolean;
      shadowRoot: string;
      text: string;
      patched: boolean;
    };
    const tries = await until(
      () => page.evaluate(() => (window as unknown as { __hostile: { tries: string[][] } }).__hostile.tries),
      (t) => t.some((x) => x[0] === "fetch"),
      "the hostile page's fetch attempt",
    );
    expect(seen.shadowRoot).toBe("null"); // closed, and the page's attachShadow patch never ran for it
    expect(seen.patched).toBe(false);
    expect(seen.text).not.toContain("更新");
    expect(seen.text).not.toContain("0463");
    expect(Object.fromEntries(tries)["chrome.runtime"]).not.toBe("function");
    expect(Object.fromEntries(tries).fetch).toBe("failed");
    // Nothing announced the extension to the page: the only messages are the two the page posted itself.
    const messages = await page.evaluate(
      () => (window as unknown as { __hostile: { messages: string[] } }).__hostile.messages,
    );
    expect(messages.filter((x) => !x.includes("read-signature") && !x.includes("portal-status"))).toEqual([]);
    expect(messages.join()).not.toContain("wxt");
    await page.waitForTimeout(1000);
    const verifies = model.trace.slice(before).filter((t) => t.command[1] === 0x20 && t.command.length > 4);
    expect(verifies).toHaveLength(0);
    expect(model.pin(model.applications[0]!.aid, 0x18)!.triesLeft).toBe(3);
    expect(model.pin(model.applications[0]!.aid, 0x1b)!.triesLeft).toBe(5);
    await page.close();
  });

  it("the popup's signature check: the right PIN reads the certificate with exactly one VERIFY; one try left is refused", async () => {
    const before = model.trace.length;
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("利用者証明用電子証明書"),
      "popup",
    );
    await popup.locator("summary", { hasText: "署名用電子証明書を暗証番号で確認" }).click();
    // Not a password to remember or fill in, and gone when the popup is hidden.
    expect(await popup.locator("#pin").getAttribute("autocomplete")).toBe("one-time-code");
    await popup.locator("#pin").fill("ABC999");
    await popup.evaluate(() => window.dispatchEvent(new Event("pagehide")));
    expect(await popup.locator("#pin").inputValue()).toBe("");
    await popup.locator("#pin").fill("ABC123");
    await popup.locator("#pin").press("Enter");
    const msg = await until(
      () => popup.locator("#pin-msg").innerText(),
      (t) => t.includes("有効期限"),
      "signature result",
    );
    expect(msg).toMatch(/署名用電子証明書: 有効期限 \d{4}-\d{2}-\d{2}/);
    const verifies = model.trace.slice(before).filter((t) => t.command[1] === 0x20 && t.command.length > 4);
    expect(verifies).toHaveLength(1);
    expect(model.pin(model.applications[0]!.aid, 0x1b)!.triesLeft).toBe(5);
    await popup.close();

    // A card whose signature PIN has one try left: the popup offers no PIN field at all.
    const { namedProfile, buildCard } = await import("@jpki-guard/virtual-card");
    const lastTry = buildCard({ ...(await namedProfile("valid")), signaturePinTriesLeft: 1 });
    await rig.swap(lastTry);
    await until(badge, (b) => b === "OK", "badge OK for the last-try card");
    const p2 = await context.newPage();
    await p2.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => p2.locator("main").innerText(),
      (t) => t.includes("残り 1 回 / 5 回"),
      "popup with 1 try",
    );
    await p2.locator("summary", { hasText: "署名用電子証明書を暗証番号で確認" }).click();
    expect(await p2.locator("main").innerText()).toContain("残り1回のため");
    expect(await p2.locator("#pin").count()).toBe(0);
    expect(lastTry.trace.filter((t) => t.command[1] === 0x20 && t.command.length > 4)).toHaveLength(0);
    await p2.close();
  });

  it("two quick submissions at 2 tries left: exactly one VERIFY, and the PIN is not locked", async () => {
    const { namedProfile, buildCard } = await import("@jpki-guard/virtual-card");
    const twoLeft = buildCard({ ...(await namedProfile("valid")), signaturePinTriesLeft: 2 });
    await rig.swap(twoLeft);
    await until(badge, (b) => b === "OK", "badge OK for the two-tries card");
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("残り 2 回 / 5 回"),
      "popup with 2 tries",
    );
    const replies = (await popup.evaluate(() => {
      const send = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } })
        .chrome.runtime.sendMessage;
      return Promise.all([
        send({ type: "read-signature", pin: "ZZZ999" }),
        send({ type: "read-signature", pin: "ZZZ999" }),
      ]);
    })) as Array<{ ok: boolean; error?: { code: string; triesLeft?: number } }>;
    const codes = replies.map((r) => r.error?.code).sort();
    expect(codes).toEqual(["card-busy", "pin-wrong"]);
    const verifies = twoLeft.trace.filter((t) => t.command[1] === 0x20 && t.command.length > 5);
    expect(verifies).toHaveLength(1);
    expect(twoLeft.pin(twoLeft.applications[0]!.aid, 0x1b)!.triesLeft).toBe(1);
    // And now, with one try left, a third attempt never reaches the card.
    const third = (await popup.evaluate(() =>
      (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
      ).chrome.runtime.sendMessage({ type: "read-signature", pin: "ZZZ999" }),
    )) as { ok: boolean; error?: { code: string } };
    expect(third.error?.code).toBe("pin-too-few-tries");
    expect(twoLeft.trace.filter((t) => t.command[1] === 0x20 && t.command.length > 5)).toHaveLength(1);
    await popup.close();
  });

  it("'I don't know my PIN' at full tries; one wrong PIN in our own check stops and shows the reset paths first", async () => {
    const { namedProfile, buildCard } = await import("@jpki-guard/virtual-card");
    const full = buildCard(await namedProfile("valid"));
    await rig.swap(full);
    await until(badge, (b) => b === "OK", "badge OK");
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("残り 5 回 / 5 回"),
      "popup with 5 tries",
    );
    await popup.locator("summary", { hasText: "暗証番号がわからないとき" }).click();
    const help = await popup.locator("#pin-help").innerText();
    expect(help).toContain("数字4桁");
    expect(help).toContain("コンビニ");
    expect(help).toContain("平塚市");
    await popup.locator("summary", { hasText: "署名用電子証明書を暗証番号で確認" }).click();
    await popup.locator("#pin").fill("ZZZ999");
    await popup.locator("#pin").press("Enter");
    await until(
      () => popup.locator("#pin-stop").count(),
      (n) => n === 1,
      "the stop after a wrong PIN",
    );
    expect(await popup.locator("#pin").count()).toBe(0);
    expect(await popup.locator("main").innerText()).toContain("暗証番号が違いました");
    expect(full.pin(full.applications[0]!.aid, 0x1b)!.triesLeft).toBe(4);
    await popup.locator("#pin-try-again").click();
    expect(await popup.locator("#pin").count()).toBe(1);
    await popup.close();
  });

  it("the options page: searching by name sets another municipality (its own office, no Hiratsuka phone); back again", async () => {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXT_ID}/options.html`);
    const input = options.locator("#options-muni-input");
    await until(
      () => options.locator("#municipality-current").innerText(),
      (t) => t.includes("平塚市"),
      "current choice",
    );
    await input.fill("大阪市北区");
    await options.locator("[role=option]", { hasText: "大阪市北区" }).first().click();
    await until(
      () => options.locator("#municipality-current").innerText(),
      (t) => t.includes("大阪市北区"),
      "new choice saved",
    );
    await options.close();
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    const body = await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("大阪市北区役所"),
      "popup names the ward office",
    );
    expect(body).not.toContain("0463");
    await popup.close();
    const back = await context.newPage();
    await back.goto(`chrome-extension://${EXT_ID}/options.html`);
    await back.locator("#options-muni-input").fill("142034");
    await back.locator("#options-muni-input").press("Enter");
    await until(
      () => back.locator("#municipality-current").innerText(),
      (t) => t.includes("平塚市"),
      "back to Hiratsuka",
    );
    await back.close();
  });

  it("after the session, storage holds settings and reminder due dates only: no certificate expiry date", async () => {
    const all = (await sw.evaluate(() =>
      (
        globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<object> } } } }
      ).chrome.storage.local.get(null),
    )) as Record<string, unknown>;
    expect(
      // (The platform key is the test's own, read only by the e2e build.)
      Object.keys(all).every((k) => ["settings", "reminders", "shown", TEST_PLATFORM_KEY].includes(k)),
      Object.keys(all).join(),
    ).toBe(true);
    expect(Object.keys(all)).toContain("reminders");
    const r = all.reminders as Record<string, Record<string, string> | null>;
    for (const which of ["auth", "sign"]) {
      const s = r[which];
      if (s) expect(Object.keys(s).sort()).toEqual(["30", "7", "end", "window"]);
    }
    // The expiry day itself (end minus one day) is never stored.
    const auth = r.auth!;
    const end = new Date(`${auth.end}T00:00:00Z`);
    const expiry = new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);
    expect(JSON.stringify(all)).not.toContain(expiry);
  });

  it("every profile's popup, with each certificate's timeline (screenshots in test-results/)", async () => {
    const BADGE: Record<string, string> = { ready: "OK", attention: "!", blocked: "×", unknown: "–" };
    const cases: Array<[ProfileName, string, string | null]> = [
      // profile, expected badge level, expected timeline state of the authentication certificate
      ["valid", "ready", "valid"],
      ["renewal-window", "attention", "renewal-window"],
      ["expired", "blocked", "expired"],
      ["not-yet-valid", "blocked", "not-yet-valid"],
      ["auth-pin-1-left", "attention", "valid"],
      ["auth-pin-locked", "blocked", "valid"],
      ["sign-pin-locked", "ready", "valid"],
      ["no-sign-cert", "ready", "valid"],
      ["no-certs", "blocked", null],
      ["not-mynumber", "blocked", null],
      ["juki-card", "blocked", null],
      ["t0-card", "ready", "valid"],
      ["no-short-ef", "ready", "valid"],
      ["next-generation", "attention", "renewal-window"],
    ];
    for (const [profile, level, state] of cases) {
      await rig.remove();
      await until(badge, (b) => b === "–", `badge – before ${profile}`);
      await rig.insert(await card(profile));
      await until(badge, (b) => b === BADGE[level], `badge for ${profile}`);
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 420, height: 900 });
      await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
      await until(
        () => popup.locator("main").innerText(),
        (t) => t.includes("ログイン"),
        `popup for ${profile}`,
      );
      const tl = popup.locator(".tl").first();
      if (state) {
        expect(await tl.getAttribute("class"), profile).toBe(`tl state-${state}`);
        const said = (await tl.getAttribute("aria-label")) ?? "";
        expect(said).toMatch(
          /^発行 \d{4}-\d{2}-\d{2}、更新できる期間の開始 \d{4}-\d{2}-\d{2}、今日 \d{4}-\d{2}-\d{2}、有効期限 \d{4}-\d{2}-\d{2}。/,
        );
      } else expect(await popup.locator(".tl").count(), profile).toBe(0);
      await popup.screenshot({ path: join(SHOTS, `popup-${profile}.png`), fullPage: true });
      await popup.close();
    }
  }, 180_000);

  it("without the host installed, the popup shows install guidance and the badge says so", async () => {
    const bare = await launch(join(home, "bare-profile"), port, EXT);
    try {
      const w = await worker(bare, EXT_ID);
      const popup = await bare.newPage();
      await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
      const body = await until(
        () => popup.locator("main").innerText(),
        (t) => t.includes("見つかりません"),
        "install guidance",
      );
      // The steps for this OS (Linux here), from the release packages: never a git or pnpm command.
      expect(body).toContain("sudo apt install ./jpki-guard_");
      expect(body).not.toMatch(/pnpm|git |scripts\/setup/);
      // Where to download, from the one configured place; the browser's English error only inside 詳細.
      expect(await popup.locator("#download a").getAttribute("href")).toBe(DOWNLOAD_URL);
      expect(body).toContain(DOWNLOAD_URL);
      expect(body).toContain("ブラウザが jpki-guard のブリッジを見つけられませんでした");
      expect(body).not.toContain("native messaging host");
      expect(await popup.locator("details.native-detail summary").innerText()).toBe("詳細");
      expect(await popup.locator("details.native-detail code").textContent()).toBe(
        "Specified native messaging host not found.",
      );
      await popup.screenshot({ path: join(SHOTS, "popup-no-bridge.png") });
      expect(
        await w.evaluate(() =>
          (
            globalThis as unknown as { chrome: { action: { getBadgeText(o: object): Promise<string> } } }
          ).chrome.action.getBadgeText({}),
        ),
      ).toBe("?");
    } finally {
      await bare.close();
    }
  });
});
