/**
 * The page-side recorder shared by the "page untouched" tests in Chromium
 * (page-untouched.test.ts) and firefox-esr (page-untouched-firefox.test.ts).
 *
 * `recorderScript` is the page's own first script, inline in its `<head>`:
 * from then on it records every event the page can see on `window` and on
 * `document` (a capturing listener for every event type the browser names,
 * i.e. every `on*` property of window, Document, HTMLElement and Element,
 * and for the names an extension could use to announce itself) and every
 * DOM mutation; `window.__record()` returns them with the final DOM,
 * everything under `<jpki-guard-banner>` (our banner's host element) left
 * out. The same page loaded without and with our extension must give the
 * same record.
 */

/** What `window.__record()` returns. */
export type PageRecord = {
  /** "window <type> <detail or data>" or "document …", sorted. */
  events: string[];
  /** "<type> <target> <attribute> <added and removed nodes>", in order. */
  mutations: string[];
  /** document.documentElement.outerHTML without `<jpki-guard-banner>`. */
  dom: string;
  /** How many event types were listened to. */
  types: number;
};

/** The expression that reads the record (page.evaluate, Playwright and puppeteer alike). */
export const READ_RECORD = "window.__record()";

/**
 * The names an extension could announce itself with, besides the browser's
 * own event types: WXT's content-script start-up event with our public id
 * (`id`: the Chrome extension id or the Firefox add-on id, what
 * `runtime.id` is in that browser) and without it, and the official
 * Mynaportal extension's names.
 */
export function announcementTypes(id: string): string[] {
  return [
    `${id}:portal:wxt:content-script-started`,
    `${id}:portal.content:wxt:content-script-started`,
    "wxt:content-script-started",
    "message",
    "launchApp",
    "recvMsg",
    "jpki-guard",
  ];
}

/** The recorder, as a `<script>` element to put first in the page's `<head>`. */
export function recorderScript(extraTypes: string[]): string {
  return `<script>
(() => {
  const seen = [];
  const types = new Set(${JSON.stringify(extraTypes)});
  for (const o of [window, Document.prototype, HTMLElement.prototype, Element.prototype])
    for (const k of Object.getOwnPropertyNames(o)) if (k.startsWith("on")) types.add(k.slice(2));
  const describe = (e) => {
    let d = "";
    try { d = e instanceof CustomEvent ? JSON.stringify(e.detail) : e instanceof MessageEvent ? JSON.stringify(e.data) : ""; } catch { d = "?"; }
    return d;
  };
  for (const [name, target] of [["window", window], ["document", document]])
    for (const t of types) target.addEventListener(t, (e) => seen.push(name + " " + e.type + " " + describe(e)), true);
  const mutations = [];
  const isBanner = (n) => n.nodeName === "JPKI-GUARD-BANNER";
  new MutationObserver((list) => {
    for (const m of list) {
      const nodes = [...m.addedNodes, ...m.removedNodes].filter((n) => !isBanner(n));
      if (m.type === "childList" && nodes.length === 0) continue;
      if (isBanner(m.target)) continue;
      mutations.push(m.type + " " + m.target.nodeName + " " + (m.attributeName || "") + " " + nodes.map((n) => n.nodeName).join(","));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  window.__record = () => {
    const copy = document.documentElement.cloneNode(true);
    for (const b of copy.querySelectorAll("jpki-guard-banner")) b.remove();
    return { events: [...seen].sort(), mutations, dom: copy.outerHTML, types: types.size };
  };
})();
</script>`;
}

/**
 * A script that forges WXT's start-up event under each of `names` on
 * `document` (detail `messageId: "forged"`), at once and then every 200 ms
 * for 2 s: before and after a content script at `document_idle` starts.
 */
export function forgeScript(names: string[]): string {
  return `<script>
const forge = () => { for (const name of ${JSON.stringify(names)}) document.dispatchEvent(new CustomEvent(name, { detail: { contentScriptName: "portal", messageId: "forged" } })); };
forge(); let n = 0; const t = setInterval(() => { forge(); if (++n >= 10) clearInterval(t); }, 200);
</script>`;
}

/** A Mynaportal-like page whose first script is the recorder. */
export function recordedPage(extraTypes: string[], title: string, body: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8">${recorderScript(extraTypes)}<title>${title}</title></head>
<body>${body}</body></html>`;
}
