/** The popup: the card's state, next steps, the help-desk report, the guarded signature check. */
import {
  type CertificateFacts,
  type ChecklistEntry,
  CONFIDENCE_NAMES,
  calendarDaysBetween,
  type DiagnoseResult,
  type ErrorSystem,
  encodeReadout,
  errorSentence,
  explainCode,
  formatJstDate,
  isReportProblem,
  jstDate,
  jstMidnight,
  judgeCertificate,
  message,
  newSteps,
  type PageSeen,
  pinFormatProblem,
  readoutFromReport,
  reportFileText,
  reportFromDiagnose,
  type Status,
  SYSTEM_NAMES,
  SYSTEMS,
  sourcesLine,
} from "@jpki-guard/shared";
import { DOWNLOAD_URL } from "@jpki-guard/shared/ids";
import browser from "webextension-polyfill";
import { asOfLabel } from "../../lib/clock";
import type { PopupState as State } from "../../lib/messages";
import { buildChooser } from "../../lib/municipality-chooser";
import { MAX_NATIVE_ERROR, nativeErrorText } from "../../lib/native-errors";
import { typedSend } from "../../lib/send";
import { chooseMunicipality, parseSettings } from "../../lib/settings";
import { type Lang, text } from "../../lib/ui-text";
import { versionSkewLines } from "../../lib/version-skew";

/** Messages to the background, answered as the extension's message table says. */
const send = typedSend((m) => browser.runtime.sendMessage(m));

/** After a wrong PIN in our own signature check: stop and show the reset paths before another try. */
let pinStopped = false;

const app = document.getElementById("app")!;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** "有効期限 2027-01-10(あと45日)": the expiry day and days left in Japan time, counted as the verdict counts them. */
function expiryLabel(t: ReturnType<typeof text>, notAfter: string): string {
  const end = new Date(notAfter);
  return `${t.validTo} ${formatJstDate(jstDate(end))}(${t.daysLeft(calendarDaysBetween(new Date(), end))})`;
}

function certRow(lang: Lang, label: string, cert: Status["facts"]["authCertificate"], presence: string) {
  const t = text(lang);
  const value = cert
    ? expiryLabel(t, cert.notAfter)
    : presence === "present"
      ? t.present
      : presence === "absent"
        ? t.absent
        : t.unknown;
  return [h("dt", {}, label), h("dd", {}, value)];
}

/**
 * A certificate's life at a glance: issued, renewal window, today, expiry, as
 * a bar coloured by its state (valid, renewal window, expired, not yet
 * valid). The same facts as one sentence for screen readers (role="img").
 */
function timeline(lang: Lang, cert: CertificateFacts, now: Date): HTMLElement {
  const t = text(lang);
  const j = judgeCertificate(cert, now);
  const day = (d: Date) => formatJstDate(jstDate(d));
  const start = new Date(cert.notBefore).getTime();
  const end = new Date(cert.notAfter).getTime();
  const [oy, om, od] = j.windowOpens.split("-").map(Number) as [number, number, number];
  const opens = jstMidnight({ year: oy, month: om, day: od }).getTime();
  const last = Math.max(end, now.getTime()) + (end - start) * 0.02;
  const first = Math.min(start, now.getTime());
  const pct = (x: number) => `${(((x - first) / (last - first)) * 100).toFixed(2)}%`;
  const span = (cls: string, from: number, to: number) =>
    h("span", { class: cls, style: `left:${pct(from)};width:calc(${pct(to)} - ${pct(from)})` });
  const today = day(now);
  const bar = h(
    "div",
    { class: "tl-bar" },
    span("tl-valid", start, Math.min(opens, end)),
    span("tl-window", Math.max(start, opens), end),
    now.getTime() > end ? span("tl-expired", end, now.getTime()) : null,
    h("span", { class: "tl-today", style: `left:${pct(now.getTime())}` }),
  );
  const labels = h(
    "div",
    { class: "tl-labels", "aria-hidden": "true" },
    h("span", {}, `${t.tlIssued} ${day(new Date(start))}`),
    h("span", {}, `${t.tlWindow} ${j.windowOpens}`),
    h("span", {}, `${t.tlExpiry} ${j.expiryDate}`),
  );
  return h(
    "div",
    {
      class: `tl state-${j.state}`,
      role: "img",
      "aria-label": t.tlSentence(day(new Date(start)), j.windowOpens, today, j.expiryDate, t.tlState[j.state]),
    },
    bar,
    labels,
  );
}

function pinRow(lang: Lang, label: string, p: Status["facts"]["pins"]["auth"]) {
  const t = text(lang);
  const v = p.triesLeft === null ? t.unknown : p.triesLeft === 0 ? t.locked : t.triesLeft(p.triesLeft, p.maxTries);
  return [h("dt", {}, label), h("dd", {}, v)];
}

/**
 * The checklist (background: shared pageChecklist for the portal tab opened last, else Mynaportal's
 * login): the banner's items in the banner's order, each with its code and what it is about, then the
 * card's findings that concern only the other action. Null when there is nothing to show.
 */
function checklistSection(s: State, lang: Lang): HTMLElement | null {
  const t = text(lang);
  const shown = (e: ChecklistEntry) => e.finding.severity !== "info" || e.finding.steps.length > 0;
  const list = (entries: ChecklistEntry[]) => {
    const steps = newSteps(entries);
    const ul = h("ul", {});
    entries.forEach((e, i) => {
      const li = h(
        "li",
        { class: e.severity, "data-code": e.code },
        e.finding.text[lang],
        h("br"),
        h("span", { class: "code" }, `${e.code} (${e.source})`),
      );
      const own = steps[i]!;
      if (own.length) li.append(h("ul", {}, ...own.map((st) => h("li", { class: "step" }, st.text[lang]))));
      ul.append(li);
    });
    return ul;
  };
  const mine = s.checklist.filter((e) => e.forAction && shown(e));
  const others = s.checklist.filter((e) => !e.forAction && shown(e));
  if (!mine.length && !others.length) return null;
  const sec = h(
    "section",
    { id: "checklist", "aria-labelledby": "checklist-title" },
    h("h2", { id: "checklist-title" }, t.checklistTitle(s.page.action)),
  );
  sec.append(mine.length ? list(mine) : h("p", { class: "note" }, t.checklistNothing));
  if (others.length) sec.append(h("h3", {}, t.checklistOther(s.page.action)), list(others));
  return sec;
}

function renderBridgeProblem(s: State, lang: Lang) {
  const t = text(lang);
  // No status and no ready bridge: the host is missing (or failed to start) whatever the port's state is now.
  const missing = s.bridge.kind === "no-bridge" || (!s.status && s.bridge.kind !== "ready" && s.error !== null);
  if (missing && s.bridge.kind !== "version-mismatch") {
    // The browser's own message is English whatever the user's language: our sentence for it, and the
    // original only inside the 詳細 fold (for a help desk).
    const raw = s.bridge.kind === "no-bridge" ? s.bridge.detail.slice(0, MAX_NATIVE_ERROR) : "";
    return [
      h("p", { class: "level unknown", role: "alert" }, t.noBridge),
      h(
        "p",
        { id: "download" },
        `${t.downloadFrom} `,
        h("a", { href: DOWNLOAD_URL, target: "_blank", rel: "noopener noreferrer" }, DOWNLOAD_URL),
      ),
      h("p", {}, t.installSteps(platformOs)),
      raw
        ? h("p", { class: "note", id: "native-error" }, nativeErrorText(lang, raw))
        : s.error
          ? h("p", { class: "note" }, errorSentence(lang, s.error))
          : null,
      raw ? h("details", { class: "native-detail" }, h("summary", {}, t.details), h("code", {}, raw)) : null,
    ];
  }
  if (s.bridge.kind === "version-mismatch") {
    // Which part to update, and how on this computer (the extension and the host update separately).
    const v = versionSkewLines(lang, s.bridge, { os: platformOs, firefox: isFirefox });
    return [
      h("p", { class: "level unknown", role: "alert", id: "version-skew" }, v.alert),
      h("p", { id: "version-skew-steps" }, v.steps),
      v.versions ? h("p", { class: "note" }, v.versions) : null,
    ];
  }
  return null;
}

function signatureSection(s: State, lang: Lang, rerender: () => void) {
  const t = text(lang);
  const tries = s.status?.facts.pins.signature.triesLeft ?? null;
  const maxTries = s.status?.facts.pins.signature.maxTries ?? 0;
  const present = s.status?.facts.presence.signature === "present";
  const sec = h("details", {}, h("summary", {}, t.signCheck));
  if (!present) return sec;
  const note = h("p", { class: "note" }, t.signCheckNote);
  const triesLine = h("p", {}, `${t.signPin}: ${tries === null ? t.unknown : t.triesLeft(tries, maxTries)}`);
  sec.append(note, triesLine);
  if (tries !== null && tries <= 1) {
    sec.append(h("p", { class: "err", role: "alert" }, tries === 0 ? t.refuseLocked : t.refuseLow));
    if (s.status) sec.append(pinHelpList(s.status.verdict.pinHelp.sign, lang));
    return sec;
  }
  if (pinStopped) {
    sec.open = true;
    const again = h("button", { type: "button", id: "pin-try-again" }, t.tryAgainAnyway);
    again.addEventListener("click", () => {
      pinStopped = false;
      rerender();
    });
    sec.append(h("p", { class: "err", role: "alert", id: "pin-stop" }, t.wrongPinStop));
    if (s.status) sec.append(pinHelpList(s.status.verdict.pinHelp.sign, lang));
    sec.append(again);
    return sec;
  }
  const input = h("input", {
    type: "password",
    id: "pin",
    // Not a password to save or fill: browsers and password managers leave it alone.
    autocomplete: "one-time-code",
    spellcheck: "false",
    inputmode: "text",
    maxlength: "16",
    "aria-describedby": "pin-msg",
  });
  const msg = h("p", { id: "pin-msg", class: "err", "aria-live": "polite" });
  const button = h("button", { type: "submit", id: "pin-submit", disabled: "" }, t.submit);
  input.addEventListener("input", () => {
    const p = pinFormatProblem("signature", input.value);
    msg.textContent = p && p !== "empty" ? message(lang, `pin-format.signature.${p}`) : "";
    if (p) button.setAttribute("disabled", "");
    else button.removeAttribute("disabled");
  });
  const form = h("form", {}, h("label", { for: "pin" }, `${t.pinLabel} `), input, button, msg);
  // The PIN never outlives the popup: cleared when it closes or is hidden.
  const clear = () => {
    input.value = "";
  };
  window.addEventListener("pagehide", clear);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") clear();
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const pin = input.value;
    input.value = "";
    button.setAttribute("disabled", "");
    const r = await send({ type: "read-signature", pin });
    if (r.ok) {
      const c = r.status.facts.signatureCertificate;
      msg.className = "";
      msg.textContent = c ? `${t.signCert}: ${expiryLabel(t, c.notAfter)}` : "";
    } else {
      msg.className = "err";
      msg.textContent = errorSentence(lang, r.error);
      // One wrong PIN: no second try until the citizen has seen how to reset it.
      if (r.error.code === "pin-wrong") pinStopped = true;
      setTimeout(rerender, 1500);
    }
  });
  sec.append(form);
  return sec;
}

function pinHelpList(steps: Status["verdict"]["pinHelp"]["sign"], lang: Lang) {
  return h("ul", { class: "pin-help" }, ...steps.map((st) => h("li", { class: "step" }, st.text[lang])));
}

/** 「暗証番号がわからない」 at any tries count: which PIN is which, the store and the counter. */
function pinHelpSection(s: State, lang: Lang) {
  const t = text(lang);
  const help = s.status!.verdict.pinHelp;
  return h(
    "details",
    { id: "pin-help" },
    h("summary", {}, t.pinUnknown),
    h("h3", {}, t.pinUnknownAuth),
    pinHelpList(help.auth, lang),
    h("h3", {}, t.pinUnknownSign),
    pinHelpList(help.sign, lang),
  );
}

/** First use: which municipality's counters to name (asked until the citizen chooses; never when preset by policy). */
async function chooserSection(s: State, lang: Lang): Promise<HTMLElement | null> {
  if (s.municipality.managed || s.settings.municipalityChosen) return null;
  const t = text(lang);
  const sec = h("section", { id: "muni-ask", "aria-labelledby": "muni-ask-title" });
  sec.append(h("h2", { id: "muni-ask-title" }, t.muniAsk), h("p", { class: "note" }, t.muniWhy));
  sec.append(
    await buildChooser({
      lang,
      preselect: s.municipality.preselect,
      current: null,
      idPrefix: "popup-muni",
      onChoose: async (code) => {
        const current = parseSettings((await browser.storage.local.get("settings")).settings);
        await browser.storage.local.set({ settings: chooseMunicipality(current, code) });
        await send({ type: "settings-changed" });
        await render();
      },
    }),
  );
  return sec;
}

/** The help desk's error-code lookup, judged against the card's last status (no new card read). */
function lookupSection(s: State, lang: Lang) {
  const t = text(lang);
  const sec = h("details", { id: "lookup" }, h("summary", {}, t.lookup));
  const input = h("input", { type: "text", id: "code", maxlength: "120", autocomplete: "off", spellcheck: "false" });
  // Where it was seen: a code can mean different things in different systems (E0001).
  const where = h(
    "select",
    { id: "code-where", "aria-label": t.lookupWhere },
    h("option", { value: "" }, t.lookupWhereAny),
    ...SYSTEMS.map((w) => h("option", { value: w }, SYSTEM_NAMES[w][lang])),
  );
  const out = h("div", { id: "lookup-result", "aria-live": "polite" });
  const form = h(
    "form",
    {},
    h("label", { for: "code" }, `${t.lookupLabel} `),
    input,
    where,
    h("button", { type: "submit" }, t.lookupButton),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const seen = (where as HTMLSelectElement).value as ErrorSystem | "";
    const x = explainCode(input.value, s.status?.verdict ?? null, seen || null);
    const parts: (Node | string)[] = [];
    if (!x.entry) {
      parts.push(h("p", {}, t.lookupUnknown(x.code || "-")));
      if (x.elsewhere.length) parts.push(h("p", {}, t.lookupElsewhere(x.elsewhere.map((w) => SYSTEM_NAMES[w][lang]))));
    } else {
      parts.push(
        h(
          "p",
          {},
          h("strong", {}, x.entry.code ?? t.lookupNoCode),
          ` (${x.entry.where[lang]})`,
          x.entry.shown ? h("br") : "",
          x.entry.shown ?? "",
        ),
        h("p", {}, x.entry.meaning[lang]),
        h("p", { class: "note" }, `${CONFIDENCE_NAMES[x.entry.confidence][lang]}: ${sourcesLine(x.entry, lang)}`),
      );
      if (x.askWhere) parts.push(h("p", { class: "note" }, t.lookupAskWhere(SYSTEM_NAMES[x.entry.system][lang])));
    }
    if (x.card === "explains")
      parts.push(h("p", {}, t.lookupExplains), h("ul", {}, ...x.because.map((b) => h("li", {}, b.text[lang]))));
    else if (x.card === "not-this-card" && x.entry) parts.push(h("p", {}, t.lookupNotThisCard));
    else if (x.card === "not-card") parts.push(h("p", {}, t.lookupNotCard));
    else if (x.card === "cannot-tell") parts.push(h("p", {}, t.lookupCannotTell));
    if (x.next.length) parts.push(h("ul", {}, ...x.next.map((n) => h("li", { class: "step" }, n[lang]))));
    if (x.environment) parts.push(h("p", {}, t.lookupEnvironment), h("ul", {}, h("li", {}, x.environment[lang])));
    out.replaceChildren(...parts);
  });
  sec.append(form, out);
  return sec;
}

/**
 * The report's ways out: "Save" writes the file `doctor --report` writes
 * (built from the diagnose reply, checked by the reader `doctor --read`
 * uses), the read-out code for the phone, and its QR code for a photo.
 * Both carry the page's finding codes (`page`: the file also its portal
 * and the platform judged; the code only the codes).
 * Saving is a Blob and an <a download> click: no downloads permission. The
 * file name holds the check's day only.
 */
function reportOut(d: DiagnoseResult, page: PageSeen, municipality: string | null, lang: Lang): HTMLElement {
  const t = text(lang);
  const box = h("div", { id: "report-out" });
  const built = reportFromDiagnose(d, municipality, page);
  if (isReportProblem(built)) {
    box.append(h("p", { class: "err", role: "alert", id: "report-problem" }, t.reportCannotSave));
    return box;
  }
  const done = h("p", { class: "note", id: "report-saved", "aria-live": "polite" });
  const save = h("button", { type: "button", id: "report-save" }, t.reportSave);
  save.addEventListener("click", () => {
    const name = `jpki-guard-report-${built.facts.checkedOn}.json`;
    const url = URL.createObjectURL(new Blob([reportFileText(built)], { type: "application/json" }));
    const a = h("a", { href: url, download: name, hidden: "" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    done.textContent = t.reportSaved(name);
  });
  const code = encodeReadout(readoutFromReport(built));
  // Large, one group of four at a time; the text is the code itself (copy and screen readers get it whole).
  const shown = h("p", { class: "readout", id: "readout-code", "data-code": code });
  code.split("-").forEach((g, i) => {
    if (i > 0) shown.append(h("span", { class: "sep" }, "-"));
    shown.append(h("span", { class: "grp" }, g));
  });
  const copy = h("button", { type: "button", id: "readout-copy" }, t.copy);
  copy.addEventListener("click", async () => {
    await navigator.clipboard.writeText(code).catch(() => undefined);
    copy.textContent = t.copied;
  });
  const qr = h("canvas", { id: "readout-qr", role: "img", "aria-label": t.qrLabel(code) });
  // The QR library is loaded only now, in its own chunk.
  void import("../../lib/qr").then(({ readoutQr }) => {
    const px = readoutQr(code, 4);
    qr.width = px.width;
    qr.height = px.height;
    qr.getContext("2d")?.putImageData(new ImageData(px.data, px.width, px.height), 0, 0);
  });
  box.append(
    save,
    done,
    h("h3", {}, t.readoutTitle),
    shown,
    copy,
    h("p", { class: "note" }, t.readoutNote),
    qr,
    h("p", { class: "note" }, t.qrNote),
  );
  return box;
}

/** The user's own OS, for install steps ("win", "mac", "linux", ...). */
let platformOs = "linux";
/** Firefox (its add-ons page differs from Chrome's and Edge's): only Firefox has runtime.getBrowserInfo. */
const isFirefox = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === "function";

/** What is shown now (a pushed state replaces it only while it is not live: never under the citizen's hands). */
let shown: State | null = null;
/** The latest state the background pushed (it may arrive before the answer it supersedes). */
let pushed: State | null = null;

/** Renders may overlap (a pushed state while one waits): only the newest one writes the page. */
let renderGeneration = 0;

async function render(state?: State): Promise<void> {
  const generation = ++renderGeneration;
  const asked = state ?? (await send({ type: "popup-state" }));
  const s = !asked.live && pushed?.live ? pushed : asked;
  const lang = s.settings.language;
  const ask = await chooserSection(s, lang);
  // Everything from here on is synchronous: one render's page, never two interleaved.
  if (generation !== renderGeneration) return;
  shown = s;
  const t = text(lang);
  document.documentElement.lang = lang;
  app.replaceChildren(h("h1", {}, t.title));
  if (ask) app.append(ask);
  // The checklist first, the banner's own list in its order: what stops the login first comes first.
  const checklist = checklistSection(s, lang);
  if (checklist) app.append(checklist);
  const problem = renderBridgeProblem(s, lang);
  if (problem) {
    app.append(...problem.filter((x): x is HTMLParagraphElement => x !== null));
  } else if (s.status) {
    const { facts, verdict } = s.status;
    // No host watches the card yet (it is starting) or any more: the last known state, with its time.
    if (!s.live && s.asOf)
      app.append(
        h("p", { class: "note", id: "as-of" }, `${t.asOf(asOfLabel(new Date(s.asOf), new Date()))}: ${t.notLive}`),
      );
    app.append(
      h("p", { class: `level ${verdict.level}`, role: "status" }, verdict.summary[lang]),
      h(
        "dl",
        {},
        h("dt", {}, t.login),
        h("dd", { class: verdict.readiness.login }, t.level[verdict.readiness.login]),
        h("dt", {}, t.sign),
        h("dd", { class: verdict.readiness.sign }, t.level[verdict.readiness.sign]),
        ...certRow(lang, t.authCert, facts.authCertificate, facts.presence.auth),
        ...certRow(lang, t.signCert, facts.signatureCertificate, facts.presence.signature),
        ...pinRow(lang, t.authPin, facts.pins.auth),
        ...pinRow(lang, t.signPin, facts.pins.signature),
      ),
    );
    // Each certificate's life at a glance, full width.
    const certs: Array<[string, CertificateFacts | null]> = [
      [t.authCert, facts.authCertificate],
      [t.signCert, facts.signatureCertificate],
    ];
    const shown = certs.filter((c): c is [string, CertificateFacts] => c[1] !== null);
    if (shown.length) {
      app.append(h("h2", {}, t.timelines));
      for (const [label, c] of shown) app.append(h("div", { class: "tl-name" }, label), timeline(lang, c, new Date()));
    }
    const w = verdict.window;
    app.append(
      h("h2", {}, t.counter),
      h(
        "p",
        {},
        w.name[lang],
        w.place ? h("br") : null,
        w.place?.[lang],
        w.phone ? h("br") : null,
        w.phone ? `TEL ${w.phone}` : null,
        w.next ? h("br") : null,
        w.next?.[lang],
      ),
      h("p", { class: "note", id: "counter-notice" }, w.notice?.[lang] ?? ""),
      h("p", { class: "note" }, t.revocationNote),
    );
    app.append(pinHelpSection(s, lang));
    app.append(signatureSection(s, lang, () => void render()));
  } else {
    app.append(h("p", { class: "level unknown" }, s.error ? errorSentence(lang, s.error) : t.connecting));
  }
  const again = h("button", { type: "button" }, t.checkAgain);
  again.addEventListener("click", async () => {
    again.setAttribute("disabled", "");
    await render(await send({ type: "check-again" }));
  });
  const report = h("details", { id: "report" }, h("summary", {}, t.report));
  report.addEventListener("toggle", async () => {
    if (!(report as HTMLDetailsElement).open || report.querySelector("textarea")) return;
    const r = await send({ type: "diagnose" });
    const area = h("textarea", { readonly: "", "aria-label": t.report });
    // Plain text first (what a person pastes to a help desk), then the facts as JSON.
    area.value = r.ok
      ? `${r.report.text}\n\n${JSON.stringify({ facts: r.report.facts }, null, 2)}`
      : JSON.stringify(r.error, null, 2);
    const copy = h("button", { type: "button" }, t.copy);
    copy.addEventListener("click", async () => {
      await navigator.clipboard.writeText(area.value).catch(() => area.select());
      copy.textContent = t.copied;
    });
    report.append(h("p", { class: "note" }, t.reportNote), area, copy);
    if (r.ok) report.append(reportOut(r.report, r.page, s.municipality.code, lang));
  });
  const options = h("button", { type: "button" }, t.options);
  options.addEventListener("click", () => void browser.runtime.openOptionsPage());
  app.append(h("div", {}, again, options), report, lookupSection(s, lang));
}

// Open while this port is: the background runs the host for the popup and tells it what changed.
const port = browser.runtime.connect({ name: "popup" });
port.onMessage.addListener((m: unknown) => {
  const msg = m as { type?: string; state?: State };
  if (msg?.type !== "popup-state" || !msg.state) return;
  pushed = msg.state;
  if (shown && !shown.live) void render(msg.state);
});

void (async () => {
  platformOs = await browser.runtime
    .getPlatformInfo()
    .then((p) => p.os as string)
    .catch(() => "linux");
  await render();
})();
