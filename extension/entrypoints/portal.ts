/**
 * Portal pages (Mynaportal, e-Tax, 確定申告書等作成コーナー, e-Gov and portals the
 * user adds). Asks the background for a banner (never a PIN, never facts)
 * and shows it in a closed shadow root: the page's scripts can neither read
 * it nor talk to the extension through it. Kept small and free of heavy
 * imports (budget: 15 KB minified).
 *
 * An unlisted script that the manifest lists as the content script
 * (wxt.config.ts), not a WXT content script: WXT's content-script wrapper
 * builds a ContentScriptContext, which dispatches
 * `<extension id>:portal:wxt:content-script-started` on `document` at every
 * start (telling each portal page that jpki-guard, and so a card reader, is
 * here) and stops the script when a page dispatches that event itself. This
 * script has no such signal: the page sees no event from it at all
 * (test/integration/page-untouched.test.ts, page-untouched-firefox.test.ts).
 */
import type { Banner } from "../lib/banner";

type Api = {
  runtime: {
    id: string;
    sendMessage(m: unknown): Promise<unknown>;
    onMessage: { addListener(f: (m: unknown, s: { id?: string; tab?: unknown }) => void): void };
  };
};

const CSS = `:host{all:initial}
.b{position:fixed;z-index:2147483647;top:12px;right:12px;max-width:420px;max-height:80vh;overflow:auto;box-sizing:border-box;
font:14px/1.5 system-ui,"Hiragino Sans","Noto Sans CJK JP",sans-serif;color:#111;background:#fff;border:2px solid;border-radius:8px;
padding:12px 14px;box-shadow:0 4px 18px rgba(0,0,0,.25)}
.attention{border-color:#b45309}.blocked{border-color:#b91c1c}
h2{font-size:15px;margin:0 28px 4px 0}.s{font-weight:600;margin:0 0 6px}
ul{margin:4px 0 8px;padding-left:18px}li{margin:2px 0}.st{color:#374151;font-size:13px}
.c{border-top:1px solid #e5e7eb;margin-top:6px;padding-top:6px;font-size:13px}
.f{color:#6b7280;font-size:12px;margin-top:6px}
.x{position:absolute;top:6px;right:8px;border:0;background:none;font-size:20px;cursor:pointer;color:#374151}
.k{margin:-2px 0 2px;color:#4b5563;font-size:12px;font-family:ui-monospace,monospace}
.l{font-weight:600;margin:0 24px 2px 0}.n{margin:0;color:#374151;font-size:13px}
.m{border:0;background:none;padding:0;margin-top:4px;font:inherit;font-size:13px;color:#1d4ed8;text-decoration:underline;cursor:pointer}`;

export default defineUnlistedScript({
  main() {
    const api = ((globalThis as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome) as Api;
    let host: HTMLElement | null = null;
    let root: ShadowRoot | null = null;
    /** What is shown now (the model and whether the details are open): the same again changes nothing. */
    let shown = "";
    let dismissed = false;
    let expanded = false;

    const el = (tag: string, cls: string | null, txt?: string) => {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (txt !== undefined) e.textContent = txt;
      return e;
    };

    // One banner element per page, made once: later states replace what is inside its shadow root, so
    // the banner never jumps or blinks and the page sees no new element (only the first).
    const render = (b: Banner | null) => {
      if (!b?.show || dismissed) {
        host?.remove();
        host = root = null;
        shown = "";
        return;
      }
      const key = `${expanded}${JSON.stringify(b)}`;
      if (host && key === shown) return;
      shown = key;
      if (!host || !root) {
        host = document.createElement("jpki-guard-banner");
        root = host.attachShadow({ mode: "closed" });
      }
      const style = document.createElement("style");
      style.textContent = CSS;
      const box = el("section", `b ${b.level === "blocked" ? "blocked" : "attention"}`);
      box.setAttribute("role", b.level === "blocked" ? "alert" : "status");
      box.setAttribute("lang", b.lang);
      const close = el("button", "x", "×");
      close.setAttribute("aria-label", b.closeLabel);
      close.addEventListener("click", () => {
        dismissed = true;
        render(null);
      });
      box.append(close);
      if (!expanded) {
        // Collapsed: one sentence and the one most important next step; the rest on demand or in the popup.
        box.append(el("p", "l", b.lead));
        if (b.next) box.append(el("p", "n", b.next));
      } else {
        box.append(el("h2", null, b.title), el("p", "s", b.summary));
        for (const it of b.items) {
          box.append(el("p", null, it.text));
          // The finding's code and what it is about: what a help desk asks for.
          if (it.code) box.append(el("p", "k", `${it.code} (${it.source})`));
          if (it.steps.length) {
            const ul = el("ul", null);
            for (const s of it.steps) ul.append(el("li", "st", s));
            box.append(ul);
          }
        }
        if (b.counter.length) {
          const c = el("div", "c");
          for (const line of b.counter) c.append(el("div", null, line));
          box.append(c);
        }
        box.append(el("div", "f", b.footer));
      }
      const more = el("button", "m", expanded ? b.lessLabel : b.moreLabel);
      more.setAttribute("aria-expanded", String(expanded));
      more.addEventListener("click", () => {
        expanded = !expanded;
        render(b);
        // The button was drawn anew: keyboard focus stays on it.
        (root?.querySelector(".m") as HTMLElement | null)?.focus();
      });
      box.append(more);
      root.replaceChildren(style, box);
      if (!host.isConnected) document.documentElement.append(host);
    };

    // Updates pushed by the background (card inserted, removed, swapped).
    api.runtime.onMessage.addListener((m, sender) => {
      if (sender.id !== api.runtime.id || sender.tab) return;
      const msg = m as { type?: string; model?: Banner };
      if (msg?.type === "banner" && msg.model && typeof msg.model === "object") render(msg.model);
    });

    api.runtime
      .sendMessage({ type: "portal-status" })
      .then((b) => render((b as Banner) ?? null))
      .catch(() => undefined);

    // Mynaportal only (the one portal whose contract is known): once the page has settled, whether the
    // official extension's hidden inputs are there. Read only: never written, no event sent or listened
    // to; only "there or not" leaves this script, never a value.
    if (/(^|\.)myna\.go\.jp$/.test(location.hostname)) {
      const started = Date.now();
      const there = (id: string) => {
        const e = document.getElementById(id);
        const v = e?.tagName === "INPUT" ? (e as HTMLInputElement).value : "";
        return v.length > 0 && v.length <= 64;
      };
      const read = () =>
        api.runtime
          .sendMessage({
            type: "official-app",
            extension: there("extension-is-installed"),
            app: there("app-is-installed"),
          })
          .then((b) => render((b as Banner) ?? null))
          .catch(() => undefined);
      // Settled: loaded (polled, bounded at MAX_WAIT_MS), then SETTLE_MS for the official extension to write.
      const SETTLE_MS = 3000;
      const MAX_WAIT_MS = 15_000;
      const wait = () => {
        if (document.readyState !== "complete" && Date.now() - started < MAX_WAIT_MS) setTimeout(wait, 250);
        else setTimeout(read, SETTLE_MS);
      };
      wait();
    }
  },
});
