/**
 * The background's state and the card's status flow: the settings, the
 * last error, the store, the signature gate and the portal tabs; a new
 * status goes to the store, the badge, reminders and every portal tab. The
 * browser's APIs and the bridge are passed in; the background only wires
 * them (entrypoints/background.ts).
 */
import {
  aimVerdict,
  type ChecklistEntry,
  type Environment,
  type ErrorBody,
  type Finding,
  judgeEnvironment,
  judgeOfficialApp,
  type OfficialAppSeen,
  orderFindings,
  type PageSeen,
  type ParamsOf,
  type PortalId,
  pageChecklist,
  type Status,
  StatusSchema,
  serializeError,
} from "@jpki-guard/shared";
import { type Banner, bannerFor } from "../banner";
import type { BridgeState, NativeBridge } from "../bridge";
import { judgedBeforeToday } from "../clock";
import type { PageFindings } from "../messages";
import type { PortalAction } from "../portals";
import { municipalityFor, parseSettings, type Settings } from "../settings";
import { SignatureGate } from "../signature-gate";
import type { BackgroundContext } from "./actions/context";
import { type Badge, badgeForBridge, badgeForStatus } from "./badge";
import { HostDemand } from "./host-demand";
import { PortalTabs } from "./portal-tabs";
import type { RemindersJob } from "./reminders-job";
import { StatusStore } from "./status-store";

export interface BackgroundDeps {
  bridge: Pick<NativeBridge, "state" | "request" | "watch" | "disconnect">;
  reminders: Pick<RemindersJob, "remember" | "run">;
  sendToTab(tabId: number, message: unknown): Promise<unknown>;
  setBadge(b: Badge): Promise<void>;
  /** The settings (storage.local, unvalidated). */
  readSettings(): Promise<Settings>;
  /**
   * The managed preset (null without a policy). Chromium answers its first
   * managed-storage read only once its policies are loaded, about 3 s after
   * the browser starts (measured: docs/decisions.md): nothing on a portal
   * page's way to its banner waits for it.
   */
  readManaged(): Promise<string | null>;
  /** Register the content script for these user-added portals (those granted). */
  registerUserPortals(portals: string[]): Promise<unknown>;
  /** The clock (tests move it). */
  now?: () => Date;
  /** storage.session (memory only, gone with the browser): the last known state. */
  session?: { get(): Promise<unknown>; set(v: unknown): Promise<void> };
  /** How long the host stays after the last reason for it went (default 60 s), and the timers. */
  idleMs?: number;
  setTimer?: (f: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /** What the popup shows changed (a status, the bridge's state): tell open popups. */
  changed?: () => void;
  /**
   * What the running browser says of itself (lib/environment-probe.ts), for
   * the portals' environment rules; tests pass any platform. Absent: no
   * environment findings.
   */
  environment?: () => Promise<Environment>;
  /** The extension's version (manifest), for the popup's saved report. */
  version?: string;
}

/** What storage.session holds: the last statuses and when they were last known true. */
interface Snapshot {
  latest: Status | null;
  signature: Status | null;
  asOf: string | null;
}

export class BackgroundState implements BackgroundContext {
  settings: Settings = parseSettings(undefined);
  managedMunicipality: string | null = null;
  lastError: ErrorBody | null = null;
  readonly store = new StatusStore();
  readonly gate: SignatureGate;
  readonly tabs: PortalTabs;
  readonly bridge: BackgroundDeps["bridge"];
  readonly demand: HostDemand;

  constructor(private readonly d: BackgroundDeps) {
    this.bridge = d.bridge;
    this.demand = new HostDemand({
      idleMs: d.idleMs ?? 60_000,
      release: () => void this.release(),
      setTimer: d.setTimer ?? ((f, ms) => setTimeout(f, ms)),
      clearTimer: d.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)),
    });
    this.gate = new SignatureGate({
      read: (pin) => this.bridge.request("readSignatureCertificate", { pin, ...this.params() }),
      knownTries: () => this.store.status?.facts.pins.signature.triesLeft ?? null,
    });
    this.tabs = new PortalTabs(
      (tabId, m) => d.sendToTab(tabId, m),
      50,
      (n) => this.onPortalTabs(n),
      (tabId) => this.forgetPage(tabId),
    );
  }

  /** What each Mynaportal tab's page showed of the official extension and app (only tabs PortalTabs knows: bounded). */
  private readonly officialApp = new Map<number, OfficialAppSeen>();

  seeOfficialApp(tabId: number, seen: OfficialAppSeen): void {
    if (this.tabs.has(tabId)) this.officialApp.set(tabId, { extension: seen.extension, app: seen.app });
  }

  forgetPage(tabId: number): void {
    this.officialApp.delete(tabId);
  }

  /** The environment last probed (null: not yet, or no probe). */
  environment: Environment | null = null;

  /** Ask the browser (or the test's platform) again; a failing probe keeps what was known. */
  async refreshEnvironment(): Promise<void> {
    if (!this.d.environment) return;
    this.environment = (await this.d.environment().catch(() => null)) ?? this.environment;
  }

  /** The page's own findings (the environment's) for a portal and action, from what is known now. */
  pageFindings(action: PortalAction, portal: PortalId | null, tabId: number | null = null): Finding[] {
    const env = this.environment ? judgeEnvironment(this.environment, portal, action) : [];
    const seen = portal === "mynaportal" && tabId !== null ? this.officialApp.get(tabId) : undefined;
    return seen && action === "login" ? [...env, ...judgeOfficialApp(seen, this.environment)] : env;
  }

  /** What the popup shows of the pages: the portal tab opened last, else Mynaportal's login. */
  pageForPopup(): PageFindings {
    const t = this.tabs.latest();
    const portal = t ? t.portal : "mynaportal";
    const action = t ? t.action : "login";
    const e = this.environment;
    return {
      portal,
      action,
      findings: this.pageFindings(action, portal, t?.tabId ?? null),
      officialAppChecked: t ? this.officialApp.has(t.tabId) : false,
      platform: e ? { os: e.os, brand: e.brand, windows: e.windows } : null,
    };
  }

  /** The popup's checklist for a page: the banner's entries and order (shared pageChecklist), from what is known now. */
  checklistForPopup(page: PageFindings): ChecklistEntry[] {
    return pageChecklist({
      verdict: this.statusNow(page.action)?.verdict ?? null,
      page: page.findings,
      action: page.action,
    });
  }

  /**
   * What the popup's saved report carries of the page: the codes of its findings (checklist order), its
   * portal and action, the platform judged, the extension's version. Never an address or a value the
   * page holds.
   */
  pageForReport(): PageSeen {
    const p = this.pageForPopup();
    return {
      ...(this.d.version ? { extension: this.d.version } : {}),
      bridge: "answered",
      ...(p.platform ? { os: p.platform.os, brand: p.platform.brand, windows: p.platform.windows } : {}),
      portal: p.portal,
      action: p.action,
      findings: orderFindings(p.findings).map((f) => f.code),
      officialAppChecked: p.officialAppChecked,
    };
  }

  /** A reason to run the host (the popup open): held until dropped; a host starts watching. */
  need(reason: string): void {
    this.demand.hold(reason);
    void this.ensureLive().catch(() => undefined);
  }

  private firstWatch: Promise<void> | null = null;
  /** The in-use poll the host was last asked for (null: no watch yet on this connection). */
  private inUseSent: boolean | null = null;

  /**
   * The watch's params: the citizen's, and the in-use poll only while a portal
   * tab is open (that is when the official software is used; its PIN tries
   * show only through the reader's "in use" flag).
   */
  private watchParams(): ParamsOf<"watch"> {
    return { ...this.params(), inUse: this.tabs.size > 0 };
  }

  /** Open portal tabs are a reason to run the host, and the reason for the in-use poll. */
  private onPortalTabs(n: number): void {
    this.demand.set("portal-tabs", n > 0);
    if (!this.live) {
      if (n > 0) void this.ensureLive().catch(() => undefined);
      return;
    }
    // (null: this connection was not started by ensureLive; nothing to change.)
    if (this.inUseSent !== null && this.inUseSent !== n > 0) void this.watchAgain().catch(() => undefined);
  }

  /** The same host, asked to watch with the poll on or off (answered from its last read). */
  private async watchAgain(): Promise<void> {
    const p = this.watchParams();
    this.inUseSent = p?.inUse ?? null;
    await this.onStatus(await this.demand.during("watch", () => this.bridge.watch(p)));
  }

  /**
   * A host watching the card: connect and watch unless one already does.
   * Everyone asking meanwhile shares the one watch (one card read).
   */
  ensureLive(): Promise<void> {
    if (this.live) return Promise.resolve();
    const p = this.watchParams();
    this.inUseSent = p?.inUse ?? null;
    this.firstWatch ??= this.demand
      .during("watch", () => this.bridge.watch(p))
      .then((s) => this.onStatus(s))
      .finally(() => {
        this.firstWatch = null;
      });
    return this.firstWatch;
  }

  /** Nothing has needed the host for a while: close its port (it exits); the badge turns grey. */
  private async release(): Promise<void> {
    if (this.demand.needed) return;
    this.bridge.disconnect();
  }

  /** The last known state, from storage.session (after a service-worker restart); the badge shows it is not live. */
  async restore(): Promise<void> {
    const raw = (await this.d.session?.get().catch(() => null)) as Partial<Snapshot> | null | undefined;
    const ok = (x: unknown): Status | null => {
      const r = StatusSchema.safeParse(x);
      return r.success ? r.data : null;
    };
    const latest = ok(raw?.latest);
    if (!latest || this.store.status) return;
    this.store.restore({ latest, signature: ok(raw?.signature) });
    const at = new Date(typeof raw?.asOf === "string" ? raw.asOf : Number.NaN);
    this.asOf = Number.isNaN(at.getTime()) ? null : at;
    const s = this.store.status;
    if (s && !this.live) await this.d.setBadge(this.badgeFor(s));
  }

  private async save(): Promise<void> {
    const snap: Snapshot = { ...this.store.snapshot(), asOf: this.asOf?.toISOString() ?? null };
    await this.d.session?.set(snap).catch(() => undefined);
  }

  now(): Date {
    return this.d.now?.() ?? new Date();
  }

  /** When the shown state was last known to be true: the host's last word, or the moment it stopped watching. */
  asOf: Date | null = null;

  /**
   * A host is connected and watching: what is shown follows the card. (Every
   * connection starts with a watch, ensureLive; its reply is the first status.)
   */
  get live(): boolean {
    return this.bridge.state.kind === "ready" && this.store.status !== null;
  }

  /** The badge for a status, grey with its time when no host watches (badge.ts). */
  badgeFor(s: Status) {
    return badgeForStatus(s, this.settings.language, {
      live: this.live,
      asOf: this.asOf ?? this.now(),
      now: this.now(),
    });
  }

  params(): { municipality?: string } {
    const m = municipalityFor(this.settings, this.managedMunicipality);
    return m ? { municipality: m } : {};
  }

  private managedRead: Promise<void> = Promise.resolve();

  /**
   * Read the settings again; the managed preset is read beside it, not
   * waited for (settled() waits). When the preset changes the municipality
   * after the host was asked to watch, the host is asked to watch again
   * with it (answered from its last read, no card read) and the banners
   * update in place.
   */
  async reloadSettings(): Promise<void> {
    this.settings = await this.d.readSettings();
    const read = this.d
      .readManaged()
      .catch(() => null)
      .then((m) => this.applyManaged(m));
    this.managedRead = read;
  }

  /** The settings with the managed preset read (what the popup and options show). */
  async settled(): Promise<void> {
    await this.managedRead;
  }

  private async applyManaged(managed: string | null): Promise<void> {
    const before = municipalityFor(this.settings, this.managedMunicipality);
    this.managedMunicipality = managed;
    if (municipalityFor(this.settings, managed) === before) return;
    // A watch under way was sent with the municipality known then: once it answered, watch again.
    await this.firstWatch?.catch(() => undefined);
    if (this.live) await this.watchAgain().catch(() => undefined);
  }

  async registerUserPortals(): Promise<void> {
    await this.d.registerUserPortals(this.settings.portals);
  }

  /** The bridge's own state: its badge while the bridge itself is the problem. */
  async onBridgeState(s: BridgeState): Promise<void> {
    const b = badgeForBridge(s, this.settings.language);
    // Closed (idle) or never there: the next connection starts with its own watch. (After a crash
    // the bridge itself watches again with the same params.)
    if (s.kind === "idle" || b) this.inUseSent = null;
    if (b) await this.d.setBadge(b);
    else if (s.kind !== "ready" && s.kind !== "connecting" && this.store.status) {
      // The host stopped watching: the last state stays, grey, with its time.
      this.asOf = this.now();
      await this.d.setBadge(this.badgeFor(this.store.status));
      await this.save();
    }
    this.d.changed?.();
  }

  /**
   * Each Japan-time midnight: every verdict shown is judged again. With a
   * host connected it judges its last read with its clock (a status
   * request: 0 APDUs); without one the badge says the state is not live
   * and from an earlier day (the next tab or popup asks the host).
   */
  async onMidnight(): Promise<void> {
    const s = this.store.status;
    if (!s || !judgedBeforeToday(s, this.now())) return;
    if (this.live) {
      await this.rejudge().catch((e) => {
        this.lastError = serializeError(e);
      });
      return;
    }
    await this.d.setBadge(this.badgeFor(s));
  }

  private rejudging: Promise<void> | null = null;

  /**
   * The host judges its last read again with its own clock (a status
   * request, no card read unless something changed); concurrent askers
   * share one request.
   */
  rejudge(): Promise<void> {
    this.rejudging ??= this.demand
      .during("rejudge", () => this.bridge.request("status", { ...this.params(), action: "login" }))
      .then((s) => this.onStatus(s))
      .finally(() => {
        this.rejudging = null;
      });
    return this.rejudging;
  }

  async onStatus(s: Status): Promise<void> {
    this.store.update(s);
    this.gate.forgetLastAttempt(); // the card's own count from now on
    this.lastError = null;
    this.asOf = this.now();
    await this.d.setBadge(this.badgeFor(s));
    await this.save();
    this.d.changed?.();
    await this.d.reminders.remember(s);
    await this.runReminders();
    await this.tabs.push((action, tab) => this.banner(action, tab));
  }

  async runReminders(): Promise<void> {
    await this.d.reminders.run({ enabled: this.settings.reminders, lang: this.settings.language });
  }

  /**
   * The status for an action: the store's while a host watches the card
   * (connecting and watching first when none does, or judging again when it
   * was judged on an earlier day). For signing, the user's own signature check of this card if any,
   * else the login verdict re-aimed at signing: the same facts judged for
   * the other action, no host call (docs/decisions.md).
   */
  async statusFor(action: PortalAction): Promise<Status | null> {
    if (!this.live || !this.store.status) {
      // No host watches (none needed until now, or it went away): what is stored may be
      // stale; the answer waits for a host's own reading (never a flash of the old state).
      try {
        await this.ensureLive();
      } catch (e) {
        this.lastError = serializeError(e);
        return null;
      }
    } else if (judgedBeforeToday(this.store.status, this.now())) {
      // Judged on an earlier day (the browser stayed open across midnight): never shown as it was.
      try {
        await this.rejudge();
      } catch (e) {
        this.lastError = serializeError(e);
        return null;
      }
    }
    return this.statusNow(action);
  }

  /**
   * The status for an action from what the store holds now (no host asked): the store's, the user's own
   * signature check for signing while it still holds, or the login verdict re-aimed.
   */
  statusNow(action: PortalAction): Status | null {
    const s = this.store.status;
    if (!s || s.verdict.action === action) return s;
    const checked = this.store.signatureCheck;
    // The user's own signature check answers for signing only while the card's signature PIN
    // counter is where it was then: fewer tries since (the official software spent one, or it
    // locked) and the latest counters win.
    // A check judged on an earlier day is not used either (the host re-judges the counters, not it).
    if (action === "sign" && checked && !signaturePinDropped(checked, s) && !judgedBeforeToday(checked, this.now()))
      return checked;
    return { ...s, verdict: aimVerdict(s.verdict, action) };
  }

  /** A portal tab's banner: the card's verdict for its action and the page's own findings (its portal's environment). */
  async banner(
    action: PortalAction,
    tab: { tabId: number | null; portal: PortalId | null } | null = null,
  ): Promise<Banner> {
    const [s] = await Promise.all([this.statusFor(action), this.refreshEnvironment()]);
    const page = tab ? this.pageFindings(action, tab.portal, tab.tabId) : [];
    return bannerFor(s?.verdict ?? null, this.settings.language, page);
  }
}

/** The latest counters show fewer signature PIN tries than the user's own check saw (or cannot tell). */
export function signaturePinDropped(checked: Status, latest: Status): boolean {
  const then = checked.facts.pins.signature.triesLeft;
  const now = latest.facts.pins.signature.triesLeft;
  return now === null || then === null || now < then;
}
