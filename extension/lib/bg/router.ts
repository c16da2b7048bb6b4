/**
 * Runtime messages to the background: who may send what (sender.ts), the
 * message's shape (messages.ts), then one handler each. Anything not
 * admitted gets no answer at all.
 */
import { type InternalMessage, InternalMessageSchema } from "../messages";
import { admits, type Sender, type SenderContext, senderKind } from "../sender";
import type { PortalAction } from "./portal-tabs";

export interface Handlers {
  portalStatus(tabId: number, url: string): Promise<unknown>;
  popupState(): Promise<unknown>;
  checkAgain(): Promise<unknown>;
  diagnose(): Promise<unknown>;
  readSignature(pin: string): Promise<unknown>;
  settingsChanged(): Promise<unknown>;
}

export function route(raw: unknown, sender: Sender, ctx: SenderContext, h: Handlers): Promise<unknown> | undefined {
  const kind = senderKind(sender, ctx);
  const parsed = InternalMessageSchema.safeParse(raw);
  if (!kind || !parsed.success || !admits(kind, parsed.data.type)) return undefined;
  return dispatch(parsed.data, sender, h);
}

function dispatch(m: InternalMessage, sender: Sender, h: Handlers): Promise<unknown> {
  switch (m.type) {
    case "portal-status":
      return h.portalStatus(sender.tab!.id!, sender.url ?? "");
    case "popup-state":
      return h.popupState();
    case "check-again":
      return h.checkAgain();
    case "diagnose":
      return h.diagnose();
    case "read-signature":
      return h.readSignature(m.pin);
    case "settings-changed":
      return h.settingsChanged();
  }
}

export type { PortalAction };
