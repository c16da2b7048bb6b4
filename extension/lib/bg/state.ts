/**
 * The background's state and the card's status flow: the settings, the
 * last error, the store, the signature gate and the portal tabs; a new
 * status goes to the store, the badge, reminders and every portal tab. The
 * browser's APIs and the bridge are passed in; the background only wires
 * them (entrypoints/background.ts).
 */
import { aimVerdict, type ErrorBody, type Status, serializeError } from "@jpki-guard/shared";
import { type Banner, bannerFor } from "../banner";
import type { BridgeState, NativeBridge } from "../bridge";
import { judgedBeforeToday } from "../clock";
import type { PortalAction } from "../portals";
import { municipalityFor, parseSettings, type Settings } from "../settings";
import { SignatureGate } from "../signature-gate";
import type { BackgroundContext } from "./actions/context";
import { type Badge, badgeForBridge, badgeForStatus } from "./badge";
import { PortalTabs } from "./portal-tabs";
import type { RemindersJob } from "./reminders-job";
import { StatusStore } from "./status-store";

export interface BackgroundDeps {
  bridge: Pick<NativeBridge, "state" | "request" | "watch">;
  reminders: Pick<RemindersJob, "remember" | "run">;
  sendToTab(tabId: number, message: unknown): Promise<unknown>;
  setBadge(b: Badge): Promise<void>;
  /** The settings (storage.local, unvalidated) and the managed preset (null without a policy). */
  readSettings(): Promise<{ settings: Settings; managed: string | null }>;
  /** Register the content script for these user-added portals (those granted). */
  registerUserPortals(portals: string[]): Promise<unknown>;
  /** The clock (tests move it). */
  now?: () => Date;
}

export class BackgroundState implements BackgroundContext {
  settings: Settings = parseSettings(undefined);
  managedMunicipality: string | null = null;
  lastError: ErrorBody | null = null;
  readonly store = new StatusStore();
  readonly gate: SignatureGate;
  readonly tabs: PortalTabs;
  readonly bridge: BackgroundDeps["bridge"];

  constructor(private readonly d: BackgroundDeps) {
    this.bridge = d.bridge;
    this.gate = new SignatureGate({
      read: (pin) => this.bridge.request("readSignatureCertificate", { pin, ...this.params() }),
      knownTries: () => this.store.status?.facts.pins.signature.triesLeft ?? null,
    });
    this.tabs = new PortalTabs((tabId, m) => d.sendToTab(tabId, m));
  }

  now(): Date {
    return this.d.now?.() ?? new Date();
  }

  /** When the shown state was last known to be true: the host's last word, or the moment it stopped watching. */
  asOf: Date | null = null;

  /** A host is connected and watching: what is shown follows the card. */
  get live(): boolean {
    return this.bridge.state.kind === "ready";
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

  async reloadSettings(): Promise<void> {
    const r = await this.d.readSettings();
    this.settings = r.settings;
    this.managedMunicipality = r.managed;
  }

  async registerUserPortals(): Promise<void> {
    await this.d.registerUserPortals(this.settings.portals);
  }

  /** The bridge's own state: its badge while the bridge itself is the problem. */
  async onBridgeState(s: BridgeState): Promise<void> {
    const b = badgeForBridge(s, this.settings.language);
    if (b) await this.d.setBadge(b);
    else if (s.kind !== "ready" && s.kind !== "connecting" && this.store.status) {
      // The host stopped watching: the last state stays, grey, with its time.
      this.asOf = this.now();
      await this.d.setBadge(this.badgeFor(this.store.status));
    }
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
    this.rejudging ??= this.bridge
      .request("status", { ...this.params(), action: "login" })
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
    await this.d.reminders.remember(s);
    await this.runReminders();
    await this.tabs.push((action) => this.banner(action));
  }

  async runReminders(): Promise<void> {
    await this.d.reminders.run({ enabled: this.settings.reminders, lang: this.settings.language });
  }

  /**
   * The status for an action: the store's (watching the card first if it has
   * none). For signing, the user's own signature check of this card if any,
   * else the login verdict re-aimed at signing: the same facts judged for
   * the other action, no host call (docs/decisions.md).
   */
  async statusFor(action: PortalAction): Promise<Status | null> {
    if (!this.store.status) {
      try {
        // Tabs and the popup asking at once before the first answer share one watch (one card read).
        this.firstWatch ??= this.bridge
          .watch(this.params())
          .then((s) => this.onStatus(s))
          .finally(() => {
            this.firstWatch = null;
          });
        await this.firstWatch;
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

  private firstWatch: Promise<void> | null = null;

  async banner(action: PortalAction): Promise<Banner> {
    const s = await this.statusFor(action);
    return bannerFor(s?.verdict ?? null, this.settings.language);
  }
}

/** The latest counters show fewer signature PIN tries than the user's own check saw (or cannot tell). */
export function signaturePinDropped(checked: Status, latest: Status): boolean {
  const then = checked.facts.pins.signature.triesLeft;
  const now = latest.facts.pins.signature.triesLeft;
  return now === null || then === null || now < then;
}
