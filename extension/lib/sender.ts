/**
 * Who sent a runtime message, and what that kind of sender may ask. Pages
 * cannot reach the background at all (no externally_connectable); what
 * remains is our own content script on a portal page, which a page can make
 * misbehave, so it may only ask for its banner. Only the popup, our own page,
 * may send a PIN.
 */
import type { InternalMessage } from "./messages";
import { portalAction } from "./settings";

export type SenderKind = "portal" | "popup" | "page";

export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export interface SenderContext {
  /** This extension's id. */
  runtimeId: string;
  /** This extension's origin with a trailing slash, e.g. chrome-extension://ID/ or moz-extension://UUID/. */
  extensionOrigin: string;
  /** Portals the user added (and granted). */
  portals: string[];
}

export function senderKind(sender: Sender, ctx: SenderContext): SenderKind | null {
  if (!sender.id || sender.id !== ctx.runtimeId) return null;
  const raw = sender.url ?? "";
  if (raw.startsWith(ctx.extensionOrigin)) {
    // One of our own pages; the popup by its exact path.
    const path = raw.slice(ctx.extensionOrigin.length).split(/[?#]/)[0];
    return path === "popup.html" ? "popup" : "page";
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  // A content script: only ours, only in a portal's top frame.
  if (sender.tab?.id !== undefined && sender.frameId === 0 && portalAction(url.href, ctx.portals)) return "portal";
  return null;
}

const FROM_PORTAL: ReadonlySet<InternalMessage["type"]> = new Set(["portal-status", "official-app"]);
const FROM_EXTENSION_PAGE: ReadonlySet<InternalMessage["type"]> = new Set([
  "popup-state",
  "check-again",
  "diagnose",
  "settings-changed",
]);
const FROM_POPUP: ReadonlySet<InternalMessage["type"]> = new Set([...FROM_EXTENSION_PAGE, "read-signature"]);

/** May this kind of sender send this message? */
export function admits(kind: SenderKind, type: InternalMessage["type"]): boolean {
  if (kind === "portal") return FROM_PORTAL.has(type);
  if (kind === "popup") return FROM_POPUP.has(type);
  return FROM_EXTENSION_PAGE.has(type);
}
