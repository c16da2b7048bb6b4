/**
 * The background: wires the browser's APIs to the modules that decide
 * (lib/bg/*: the status store, badge, reminders, portal tabs and the message
 * router; lib/signature-gate.ts; lib/bridge.ts for the native port). Pages
 * can never reach it: there is no externally_connectable, onMessageExternal
 * is not used, and every runtime message is checked by its sender.
 */
import type { ErrorBody, Status } from "@jpki-guard/shared";
import browser, { type Runtime } from "webextension-polyfill";
import { bannerFor } from "../lib/banner";
import { type Badge, badgeForBridge, badgeForStatus } from "../lib/bg/badge";
import { type PortalAction, PortalTabs } from "../lib/bg/portal-tabs";
import { RemindersJob } from "../lib/bg/reminders-job";
import { route } from "../lib/bg/router";
import { StatusStore } from "../lib/bg/status-store";
import { BridgeError, NativeBridge, type PortLike } from "../lib/bridge";
import {
  municipalityFor,
  parseManaged,
  parseSettings,
  portalAction,
  preselectFor,
  type Settings,
} from "../lib/settings";
import { SignatureGate } from "../lib/signature-gate";

export default defineBackground(() => {
  let settings: Settings = parseSettings(undefined);
  /** An administrator's municipality preset (managed storage), if any. */
  let managedMunicipality: string | null = null;
  let lastError: ErrorBody | null = null;
  const store = new StatusStore();

  const bridge = new NativeBridge({
    connectNative: (name) => browser.runtime.connectNative(name) as unknown as PortLike,
    lastError: () =>
      (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome?.runtime?.lastError
        ?.message,
    onState: (s) => {
      const b = badgeForBridge(s, settings.language);
      if (b) void applyBadge(b);
    },
    onStatusEvent: (s) => void onStatus(s),
  });

  const municipality = () => municipalityFor(settings, managedMunicipality);
  const params = () => {
    const m = municipality();
    return m ? { municipality: m } : {};
  };

  /** A host error as it is, anything else as a code and a fixed sentence (never an exception's own text). */
  const errorBody = (e: unknown): ErrorBody =>
    e instanceof BridgeError ? e.body : { code: "internal", message: "unexpected error in the extension" };

  const gate = new SignatureGate({
    read: async (pin) => await bridge.request("readSignatureCertificate", { pin, ...params() }),
    knownTries: () => store.status?.facts.pins.signature.triesLeft ?? null,
    errorBody,
  });

  const reminders = new RemindersJob({
    get: (keys) => browser.storage.local.get(keys),
    set: (items) => browser.storage.local.set(items),
    notify: async (id, n) => {
      await browser.notifications.create(id, {
        type: "basic",
        iconUrl: browser.runtime.getURL("/icon-128.png"),
        ...n,
      });
    },
    now: () => new Date(),
  });

  const tabs = new PortalTabs((tabId, m) => browser.tabs.sendMessage(tabId, m));

  async function loadSettings(): Promise<void> {
    settings = parseSettings((await browser.storage.local.get("settings")).settings);
    // No policy (or a browser without managed storage): the get rejects.
    managedMunicipality = parseManaged(await browser.storage.managed.get("municipality").catch(() => null));
  }

  async function applyBadge(b: Badge): Promise<void> {
    await browser.action.setBadgeText({ text: b.text });
    await browser.action.setBadgeBackgroundColor({ color: b.color });
    await browser.action.setTitle({ title: b.title });
  }

  async function onStatus(s: Status): Promise<void> {
    store.update(s);
    gate.forgetLastAttempt(); // the card's own count from now on
    lastError = null;
    await applyBadge(badgeForStatus(s, settings.language));
    await reminders.remember(s);
    await reminders.run({ enabled: settings.reminders, lang: settings.language });
    await tabs.push(bannerForAction);
  }

  /** The status for an action: the store's for login, the host's (answered from its last read) for signing. */
  async function statusFor(action: PortalAction): Promise<Status | null> {
    if (!store.status) {
      try {
        await onStatus(await bridge.watch(params()));
      } catch (e) {
        lastError = errorBody(e);
        return null;
      }
    }
    const s = store.status;
    if (!s || s.verdict.action === action) return s;
    // Signing: the user's own signature check of this card, if any, else the host's judgement.
    const checked = store.signatureCheck;
    if (action === "sign" && checked) return checked;
    try {
      return await bridge.request("status", { ...params(), action });
    } catch {
      return s;
    }
  }

  async function bannerForAction(action: PortalAction) {
    const s = await statusFor(action);
    return bannerFor(s?.verdict ?? null, settings.language);
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
  const popupState = () => ({
    bridge: bridge.state,
    status: store.status,
    settings,
    error: lastError,
    // The first-use question: asked until the citizen chooses, never when an administrator preset it.
    municipality: { code: municipality(), managed: managedMunicipality !== null, preselect: preselectFor(settings) },
  });

  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) =>
    route(
      raw,
      sender,
      { runtimeId: browser.runtime.id, extensionOrigin, portals: settings.portals },
      {
        portalStatus: async (tabId, url) => {
          const action = portalAction(url, settings.portals) ?? "login";
          tabs.add(tabId, action);
          return bannerForAction(action);
        },
        popupState: async () => {
          if (!store.status && bridge.state.kind !== "no-bridge") await statusFor("login");
          return popupState();
        },
        checkAgain: async () => {
          // The user asked: the host reads the card even if nothing changed.
          try {
            await onStatus(await bridge.request("status", { ...params(), action: "login", fresh: true }));
          } catch (e) {
            lastError = errorBody(e);
          }
          return popupState();
        },
        diagnose: async () => {
          try {
            return { ok: true, report: await bridge.request("diagnose", params()) };
          } catch (e) {
            return { ok: false, error: errorBody(e) };
          }
        },
        readSignature: async (pin) => {
          const r = await gate.submit(pin);
          if (r.ok) {
            store.recordSignature(r.status);
            await reminders.remember(r.status);
          }
          // The PIN counter moved (or may have): read the counters again; the signature check stays in the store.
          if (r.ok || r.error.code !== "card-busy")
            void bridge
              .request("status", { ...params(), action: "login" })
              .then(onStatus)
              .catch(() => undefined);
          return r;
        },
        settingsChanged: async () => {
          await loadSettings();
          await registerUserPortals();
          store.clear();
          await statusFor("login").catch(() => null);
          return { ok: true };
        },
      },
    ),
  );

  browser.tabs.onRemoved.addListener((tabId) => tabs.remove(tabId));
  browser.alarms.onAlarm.addListener((a) => {
    if (a.name === "jpki-guard-reminders") void reminders.run({ enabled: settings.reminders, lang: settings.language });
  });

  void (async () => {
    await loadSettings();
    await browser.alarms.create("jpki-guard-reminders", { periodInMinutes: 12 * 60, delayInMinutes: 1 });
    await registerUserPortals().catch(() => undefined);
    await statusFor("login");
  })();
});
