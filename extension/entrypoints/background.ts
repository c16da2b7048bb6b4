/**
 * Owns the native port, the badge, reminders and every decision about what
 * a portal page may see. Pages can never reach it: there is no
 * externally_connectable, onMessageExternal is not used, and every runtime
 * message is checked by its sender.
 */
import type { ErrorBody, Status } from "@jpki-guard/shared";
import browser, { type Runtime } from "webextension-polyfill";
import { bannerFor } from "../lib/banner";
import { BridgeError, type BridgeState, NativeBridge, type PortLike } from "../lib/bridge";
import { InternalMessageSchema } from "../lib/messages";
import { dueReminders, type Schedule, scheduleFor, validSchedule } from "../lib/reminders";
import { admits, senderKind } from "../lib/sender";
import { parseSettings, portalAction, type Settings } from "../lib/settings";
import { SignatureGate } from "../lib/signature-gate";
import { text } from "../lib/ui-text";

export default defineBackground(() => {
  let settings: Settings = parseSettings(undefined);
  let latest: Status | null = null;
  let lastError: ErrorBody | null = null;
  const portalTabs = new Map<number, "login" | "sign">();

  const bridge = new NativeBridge({
    connectNative: (name) => browser.runtime.connectNative(name) as unknown as PortLike,
    lastError: () =>
      (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome?.runtime?.lastError
        ?.message,
    onState: (s) => void onBridgeState(s),
    onStatusEvent: (s) => void onStatus(s),
  });

  const params = () => ({ municipality: settings.municipality });

  /** A host error as it is, anything else as a code and a fixed sentence (never an exception's own text). */
  const errorBody = (e: unknown): ErrorBody =>
    e instanceof BridgeError ? e.body : { code: "internal", message: "unexpected error in the extension" };

  const gate = new SignatureGate({
    read: async (pin) => await bridge.request("readSignatureCertificate", { pin, municipality: settings.municipality }),
    knownTries: () => latest?.facts.pins.signature.triesLeft ?? null,
    errorBody,
  });

  async function loadSettings(): Promise<void> {
    settings = parseSettings((await browser.storage.local.get("settings")).settings);
  }

  // --- badge -----------------------------------------------------------------
  async function badge(label: string, color: string, title: string): Promise<void> {
    await browser.action.setBadgeText({ text: label });
    await browser.action.setBadgeBackgroundColor({ color });
    await browser.action.setTitle({ title });
  }

  async function onBridgeState(s: BridgeState): Promise<void> {
    const t = text(settings.language);
    if (s.kind === "no-bridge") await badge("?", "#6b7280", `${t.title}: ${t.noBridge}`);
    if (s.kind === "version-mismatch") await badge("?", "#6b7280", `${t.title}: ${t.versionMismatch(s.update)}`);
  }

  async function onStatus(s: Status): Promise<void> {
    latest = s;
    gate.forgetLastAttempt(); // the card's own count from now on
    lastError = null;
    const t = text(settings.language);
    const v = s.verdict;
    const noCard = s.facts.problems.some((p) =>
      ["no-card", "no-reader", "pcsc-unavailable", "reader-not-found"].includes(p.code),
    );
    if (noCard) await badge("–", "#6b7280", `${t.title}: ${t.noCard}`);
    else if (v.level === "ready") await badge("OK", "#15803d", `${t.title}: ${v.summary[settings.language]}`);
    else if (v.level === "attention") await badge("!", "#b45309", `${t.title}: ${v.summary[settings.language]}`);
    else if (v.level === "blocked") await badge("×", "#b91c1c", `${t.title}: ${v.summary[settings.language]}`);
    else await badge("–", "#6b7280", `${t.title}: ${v.summary[settings.language]}`);
    await rememberExpiry(s);
    await pushBanners();
  }

  async function pushBanners(): Promise<void> {
    for (const [tabId, action] of portalTabs) {
      const model = await bannerForAction(action);
      await browser.tabs.sendMessage(tabId, { type: "banner", model }).catch(() => portalTabs.delete(tabId));
    }
  }

  async function statusFor(action: "login" | "sign"): Promise<Status | null> {
    if (!latest) {
      try {
        latest = await bridge.watch(params());
        await onStatus(latest);
      } catch (e) {
        lastError = errorBody(e);
        return null;
      }
    }
    if (latest.verdict.action === action) return latest;
    try {
      return await bridge.request("status", { ...params(), action });
    } catch {
      return latest;
    }
  }

  async function bannerForAction(action: "login" | "sign") {
    const s = await statusFor(action);
    return bannerFor(s?.verdict ?? null, settings.language);
  }

  // --- reminders: only their due dates and which were shown (never an expiry date) --
  type Schedules = { auth: Schedule | null; sign: Schedule | null };
  async function rememberExpiry(s: Status): Promise<void> {
    const stored = (await browser.storage.local.get("reminders")).reminders as Partial<Schedules> | undefined;
    const keep = (x: unknown) => (validSchedule(x) ? x : null);
    const merged: Schedules = {
      auth: scheduleFor(s.facts.authCertificate) ?? keep(stored?.auth),
      sign: scheduleFor(s.facts.signatureCertificate) ?? keep(stored?.sign),
    };
    await browser.storage.local.set({ reminders: merged });
    await remind();
  }

  async function remind(): Promise<void> {
    if (!settings.reminders) return;
    const { reminders, shown } = (await browser.storage.local.get(["reminders", "shown"])) as {
      reminders?: Schedules;
      shown?: string[];
    };
    if (!reminders) return;
    const t = text(settings.language);
    const due = dueReminders(reminders, Array.isArray(shown) ? shown : [], new Date());
    for (const r of due) {
      const which = r.which === "auth" ? t.authCert : t.signCert;
      await browser.notifications.create(r.key, {
        type: "basic",
        iconUrl: browser.runtime.getURL("/icon-128.png"),
        title: `${t.notifyTitle}: ${which}`,
        message: r.kind === "window" ? t.notifyWindow : t.notifyDays(Number(r.kind)),
      });
    }
    if (due.length) await browser.storage.local.set({ shown: [...(shown ?? []), ...due.map((d) => d.key)].slice(-50) });
  }

  // --- user-added portals: optional host permissions + dynamic content script --
  async function registerUserPortals(): Promise<void> {
    await browser.scripting.unregisterContentScripts({ ids: ["user-portals"] }).catch(() => undefined);
    const granted = await browser.permissions.getAll();
    const allowed = settings.portals.filter((p) => granted.origins?.includes(p));
    if (allowed.length === 0) return;
    await browser.scripting.registerContentScripts([
      {
        id: "user-portals",
        matches: allowed,
        js: ["content-scripts/portal.js"],
        runAt: "document_idle",
        allFrames: false,
      },
    ]);
  }

  // --- messages -----------------------------------------------------------------
  const extensionOrigin = browser.runtime.getURL("/");

  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    const kind = senderKind(sender, {
      runtimeId: browser.runtime.id,
      extensionOrigin,
      portals: settings.portals,
    });
    const parsed = InternalMessageSchema.safeParse(raw);
    if (!kind || !parsed.success || !admits(kind, parsed.data.type)) return undefined; // no answer at all
    return handle(parsed.data, sender);
  });

  async function handle(
    m: ReturnType<typeof InternalMessageSchema.parse>,
    sender: Runtime.MessageSender,
  ): Promise<unknown> {
    switch (m.type) {
      case "portal-status": {
        const action = portalAction(sender.url ?? "", settings.portals) ?? "login";
        portalTabs.set(sender.tab!.id!, action);
        return bannerForAction(action);
      }
      case "popup-state":
        if (!latest && bridge.state.kind !== "no-bridge") await statusFor("login");
        return { bridge: bridge.state, status: latest, settings, error: lastError };
      case "check-again": {
        // The user asked: the host reads the card even if nothing changed.
        try {
          const fresh = await bridge.request("status", { ...params(), action: "login", fresh: true });
          latest = fresh;
          lastError = null;
          await onStatus(fresh);
        } catch (e) {
          lastError = errorBody(e);
        }
        return { bridge: bridge.state, status: latest, settings, error: lastError };
      }
      case "diagnose":
        try {
          return { ok: true, report: await bridge.request("diagnose", params()) };
        } catch (e) {
          return { ok: false, error: errorBody(e) };
        }
      case "read-signature": {
        const r = await gate.submit(m.pin);
        if (r.ok) await rememberExpiry(r.status);
        if (r.ok || r.error.code !== "card-busy") {
          latest = null;
          void statusFor("login");
        }
        return r;
      }
      case "settings-changed":
        await loadSettings();
        await registerUserPortals();
        latest = null;
        await statusFor("login").catch(() => null);
        return { ok: true };
    }
  }

  browser.tabs.onRemoved.addListener((tabId) => portalTabs.delete(tabId));
  browser.alarms.onAlarm.addListener((a) => {
    if (a.name === "jpki-guard-reminders") void remind();
  });

  void (async () => {
    await loadSettings();
    await browser.alarms.create("jpki-guard-reminders", { periodInMinutes: 12 * 60, delayInMinutes: 1 });
    await registerUserPortals().catch(() => undefined);
    await statusFor("login");
  })();
});
