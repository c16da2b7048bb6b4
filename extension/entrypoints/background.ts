/**
 * The background: wires the browser's APIs to the modules that decide
 * (lib/bg/state.ts: settings, the card's status flow, badge, reminders and
 * portal tabs; lib/bg/actions/: one handler per message; lib/bridge.ts for
 * the native port). Pages can never reach it: there is no
 * externally_connectable, onMessageExternal is not used, and every runtime
 * message is checked by its sender (lib/bg/router.ts).
 */
import browser, { type Runtime } from "webextension-polyfill";
import { runAction } from "../lib/bg/actions";
import { popupStateOf } from "../lib/bg/actions/popup-state";
import { RemindersJob } from "../lib/bg/reminders-job";
import { route } from "../lib/bg/router";
import { BackgroundState } from "../lib/bg/state";
import { registerUserPortals } from "../lib/bg/user-portals";
import { NativeBridge, type PortLike } from "../lib/bridge";
import { nextJstMidnight } from "../lib/clock";
import { browserEnvironment, type EnvironmentApis, TEST_ENVIRONMENT_KEY } from "../lib/environment-probe";
import { senderKind } from "../lib/sender";
import { parseManaged, parseSettings, portalAction } from "../lib/settings";

/** The one storage.session key: the last known state (memory only, gone when the browser closes). */
const LAST_STATE = "lastState";

const REMINDERS_ALARM = "jpki-guard-reminders";
/** At each Japan-time midnight every verdict shown is judged again (docs/decisions.md). */
const MIDNIGHT_ALARM = "jpki-guard-midnight";
const armMidnight = async (): Promise<void> => {
  await browser.alarms.create(MIDNIGHT_ALARM, { when: nextJstMidnight(new Date()).getTime() + 5_000 });
};

/** The browser's own description of itself: the OS, Chromium's brands and Windows version, Firefox's version. */
function environmentApis(): EnvironmentApis {
  const runtime = browser.runtime as typeof browser.runtime & { getBrowserInfo?: EnvironmentApis["getBrowserInfo"] };
  const nav = navigator as Navigator & { userAgentData?: EnvironmentApis["userAgentData"] };
  return {
    getPlatformInfo: () => browser.runtime.getPlatformInfo(),
    ...(typeof runtime.getBrowserInfo === "function"
      ? { getBrowserInfo: () => (runtime.getBrowserInfo as NonNullable<EnvironmentApis["getBrowserInfo"]>)() }
      : {}),
    userAgentData: nav.userAgentData ?? null,
  };
}

export default defineBackground(() => {
  const bridge = new NativeBridge({
    connectNative: (name) => browser.runtime.connectNative(name) as unknown as PortLike,
    lastError: () =>
      (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome?.runtime?.lastError
        ?.message,
    onState: (s) => void bg.onBridgeState(s),
    onStatusEvent: (s) => void bg.onStatus(s),
  });
  const reminders = new RemindersJob({
    get: (keys) => browser.storage.local.get(keys),
    set: (items) => browser.storage.local.set(items),
    notify: async (id, n) => {
      await browser.notifications.create(id, { type: "basic", iconUrl: browser.runtime.getURL("/icon-128.png"), ...n });
    },
    now: () => new Date(),
  });
  const bg = new BackgroundState({
    bridge,
    reminders,
    sendToTab: (tabId, m) => browser.tabs.sendMessage(tabId, m),
    setBadge: async (b) => {
      await browser.action.setBadgeText({ text: b.text });
      await browser.action.setBadgeBackgroundColor({ color: b.color });
      await browser.action.setTitle({ title: b.title });
    },
    readSettings: async () => parseSettings((await browser.storage.local.get("settings")).settings),
    // No policy (or a browser without managed storage): the get rejects.
    readManaged: async () => parseManaged(await browser.storage.managed.get("municipality").catch(() => null)),
    now: () => new Date(),
    session: {
      get: async () => (await browser.storage.session.get(LAST_STATE))[LAST_STATE],
      set: (v) => browser.storage.session.set({ [LAST_STATE]: v }),
    },
    // What the browser says of itself; in the e2e build only, the platform a test put in storage
    // (lib/environment-probe.ts, lib/build-flags.ts): the release build is built without that branch.
    environment: () =>
      browserEnvironment(
        environmentApis(),
        __JPKI_GUARD_E2E__,
        __JPKI_GUARD_E2E__
          ? async () => (await browser.storage.local.get(TEST_ENVIRONMENT_KEY))[TEST_ENVIRONMENT_KEY]
          : async () => null,
      ),
    version: browser.runtime.getManifest().version,
    changed: () => {
      for (const port of popups) port.postMessage({ type: "popup-state", state: popupStateOf(bg) });
    },
    registerUserPortals: (portals) =>
      registerUserPortals(
        {
          unregister: (ids) => browser.scripting.unregisterContentScripts({ ids }),
          grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
          register: (script) => browser.scripting.registerContentScripts([script]),
        },
        portals,
      ),
  });

  /** Open popups (each a reason to run the host while open): told when what they show changes. */
  const popups = new Set<Runtime.Port>();

  const senders = { runtimeId: browser.runtime.id, extensionOrigin: browser.runtime.getURL("/") };
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) =>
    route(raw, sender, { ...senders, portals: bg.settings.portals }, async (m, s) => {
      await started;
      // A portal page's banner and what it saw of the official app never wait for the policy read
      // (seconds after the browser starts); everything else shows the settings as the policy sets them.
      if (m.type !== "portal-status" && m.type !== "official-app") await bg.settled();
      return runAction(bg, m, s);
    }),
  );
  // The popup holds a port while it is open: closing it is seen (its port disconnects).
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== "popup" || senderKind(port.sender ?? {}, { ...senders, portals: [] }) !== "popup") {
      port.disconnect();
      return;
    }
    popups.add(port);
    port.onDisconnect.addListener(() => {
      popups.delete(port);
      bg.demand.drop("popup");
    });
    void started.then(() => bg.need("popup"));
  });
  browser.tabs.onRemoved.addListener((tabId) => bg.tabs.remove(tabId));
  // A portal tab that navigates elsewhere is no longer a reason (its URL is hidden from us then).
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (!bg.tabs.has(tabId) || (change.status !== "loading" && change.url === undefined)) return;
    if (!tab.url || !portalAction(tab.url, bg.settings.portals)) bg.tabs.remove(tabId);
  });
  browser.alarms.onAlarm.addListener((a) => {
    if (a.name === REMINDERS_ALARM) void bg.runReminders();
    if (a.name === MIDNIGHT_ALARM) void armMidnight().then(() => bg.onMidnight());
  });

  // No host at start: the last known state (after a service-worker restart) shows grey with its time,
  // and the host starts only when something needs it (docs/decisions.md, "The host on demand").
  const started = (async () => {
    await bg.reloadSettings();
    await bg.restore().catch(() => undefined);
  })();
  void (async () => {
    await started;
    await browser.alarms.create(REMINDERS_ALARM, { periodInMinutes: 12 * 60, delayInMinutes: 1 });
    await armMidnight();
    await bg.registerUserPortals().catch(() => undefined);
    // Portal tabs already open (the browser restored them, or the service worker restarted) are reasons.
    for (const tab of await browser.tabs.query({}).catch(() => [])) {
      const action = tab.url ? portalAction(tab.url, bg.settings.portals) : null;
      if (tab.id !== undefined && action) bg.tabs.add(tab.id, action);
    }
  })();
});
