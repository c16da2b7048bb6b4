/**
 * What a message handler may use of the background: the bridge to the host,
 * the status store and the signature gate, the settings, the last error the
 * popup shows, and the status flow (a new status; the status for an
 * action). One file per message (this folder); the router checks the
 * sender and the message, then dispatches through ACTIONS.
 */
import type { ChecklistEntry, ErrorBody, OfficialAppSeen, PageSeen, PortalId, Status } from "@jpki-guard/shared";
import type { Banner } from "../../banner";
import type { NativeBridge } from "../../bridge";
import type { MessageOf, MessageResults, MessageType, PageFindings } from "../../messages";
import type { PortalAction } from "../../portals";
import type { Sender } from "../../sender";
import type { Settings } from "../../settings";
import type { SignatureGate } from "../../signature-gate";
import type { HostDemand } from "../host-demand";
import type { PortalTabs } from "../portal-tabs";
import type { StatusStore } from "../status-store";

export interface BackgroundContext {
  readonly bridge: Pick<NativeBridge, "state" | "request" | "watch">;
  readonly store: StatusStore;
  readonly gate: Pick<SignatureGate, "submit">;
  readonly tabs: Pick<PortalTabs, "add">;
  readonly settings: Settings;
  /** An administrator's municipality preset (managed storage), if any. */
  readonly managedMunicipality: string | null;
  /** The last failure to reach the card, for the popup; a new status clears it. */
  lastError: ErrorBody | null;
  /** The host's params for this citizen: the municipality whose guidance to give, if any. */
  params(): { municipality?: string };
  /** A new status of the card: the store, the badge, reminders, every portal tab's banner. */
  onStatus(s: Status): Promise<void>;
  /** The status for an action (the host is asked only when the store has none), or null. */
  statusFor(action: PortalAction): Promise<Status | null>;
  /** A portal tab's banner for an action (with the tab: its page's findings too). */
  banner(action: PortalAction, tab?: { tabId: number | null; portal: PortalId | null } | null): Promise<Banner>;
  /** What a Mynaportal tab's settled page showed of the official extension and app. */
  seeOfficialApp(tabId: number, seen: OfficialAppSeen): void;
  /** Forget what a tab's earlier page showed (it loads again). */
  forgetPage(tabId: number): void;
  /** Probe the environment again (the browser's, or the e2e tests' platform). */
  refreshEnvironment(): Promise<void>;
  /** The page findings the popup shows (the portal tab opened last, else Mynaportal's login). */
  pageForPopup(): PageFindings;
  /** The popup's checklist for that page (the banner's order), from what is known now. */
  checklistForPopup(page: PageFindings): ChecklistEntry[];
  /** What the popup's saved report carries of the page (codes, portal, platform; no address). */
  pageForReport(): PageSeen;
  /** The clock. */
  now(): Date;
  /** Why the host runs (lib/bg/host-demand.ts): an operation holds a reason while it runs. */
  readonly demand: Pick<HostDemand, "during">;
  /** Connect and watch unless a host already watches (everyone asking meanwhile shares one watch). */
  ensureLive(): Promise<void>;
  /** A host is connected and watching the card. */
  readonly live: boolean;
  /** When the shown state was last known to be true (null: nothing shown yet). */
  readonly asOf: Date | null;
  /** Read the settings and the managed preset again. */
  reloadSettings(): Promise<void>;
  /** Wait for the managed preset's read (reloadSettings starts it and does not wait). */
  settled(): Promise<void>;
  /** Register the content script for the user's granted portals. */
  registerUserPortals(): Promise<void>;
}

export type ActionHandler<T extends MessageType> = (
  bg: BackgroundContext,
  message: MessageOf<T>,
  sender: Sender,
) => Promise<MessageResults[T]>;
