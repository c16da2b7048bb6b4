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
  }

  async onStatus(s: Status): Promise<void> {
    this.store.update(s);
    this.gate.forgetLastAttempt(); // the card's own count from now on
    this.lastError = null;
    await this.d.setBadge(badgeForStatus(s, this.settings.language));
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
    }
    const s = this.store.status;
    if (!s || s.verdict.action === action) return s;
    const checked = this.store.signatureCheck;
    // The user's own signature check answers for signing only while the card's signature PIN
    // counter is where it was then: fewer tries since (the official software spent one, or it
    // locked) and the latest counters win.
    if (action === "sign" && checked && !signaturePinDropped(checked, s)) return checked;
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
